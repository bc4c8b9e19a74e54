namespace ProbeGrid.Analysis.Zoo.TorchScript;

/// <summary>
/// The configuration of architecture "torchscript": the file and the names of the taps its forward returns after
/// the logits. The names are a spec parameter, not read from the file: TorchSharp 0.107 cannot bring a List[str]
/// back from TorchScript (its return marshalling takes tensors, numbers and None only), and names in the spec keep
/// <see cref="TapNames"/> a function of the configuration alone, known before the file is opened.
/// </summary>
/// <param name="File">the TorchScript file as given (absolute, or relative to the working folder); null when missing.</param>
/// <param name="Taps">the names of the tensors forward returns after the logits, in order; null when missing.</param>
public sealed record TorchScriptConfig(string? File, IReadOnlyList<string>? Taps)
{
    public const string Architecture = "torchscript";
    public const string FileParameter = "file";
    public const string TapsParameter = "taps";

    /// <summary>"input", the taps forward returns, "logits".</summary>
    public IReadOnlyList<string> TapNames => ["input", .. Taps ?? [], "logits"];

    public static TorchScriptConfig Read(ModelParameterReader reader)
    {
        var file = reader.RequiredText(FileParameter,
            "the path of a file written by torch.jit.save(torch.jit.script(model), path) whose forward returns (logits, tap1, tap2, ...)");
        var taps = reader.RequiredList(TapsParameter,
            "the names of the tensors forward returns after the logits, in order, comma-separated, e.g. taps=layer1,layer2,layer3,layer4 " +
            "(the names cannot come from the file: TorchSharp cannot read a List[str] back from TorchScript)");
        if (taps is not null)
        {
            foreach (var tap in taps.Where(t => !IsTapName(t)))
                reader.Problem($"parameter '{TapsParameter}' names '{tap}': a tap name is letters, digits, '_', '.' and '-' " +
                               "(and not 'input' or 'logits', which every network has): rename it.");
            foreach (var tap in taps.GroupBy(t => t, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
                reader.Problem($"parameter '{TapsParameter}' names '{tap}' more than once: give each returned tensor its own name.");
        }
        return new TorchScriptConfig(file, taps);
    }

    private static bool IsTapName(string name) =>
        name is not ("input" or "logits") && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
