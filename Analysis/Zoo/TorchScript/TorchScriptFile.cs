using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using ProbeGrid.Analysis.Checkpoints;
using TorchSharp;

namespace ProbeGrid.Analysis.Zoo.TorchScript;

/// <summary>
/// Opens a file written by <c>torch.jit.save</c> on the CPU, or says why it is not one: missing, a state_dict or
/// pickled module from <c>torch.save</c>, a safetensors file, or something else. libtorch's own refusal
/// ("failed locating file constants.pkl") names neither the cause nor the fix, so the file is looked at first.
/// </summary>
public static class TorchScriptFile
{
    /// <summary>How to write a file this architecture reads, for the refusals.</summary>
    public const string SaveHint = "save the model with torch.jit.save(torch.jit.script(model), path) (docs/torchscript.md)";

    /// <summary>The module in <paramref name="path"/> (a relative path against the working folder), on the CPU.</summary>
    /// <exception cref="ArgumentException">The file is missing or not TorchScript; the message names the cause and the fix.</exception>
    public static torch.jit.ScriptModule Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ArgumentException($"TorchScript file '{path}' does not exist: check the path (parameter 'file'), or {SaveHint}.");
        if (NotTorchScript(full) is { } cause)
            throw new ArgumentException($"TorchScript file '{path}' {cause}");
        try
        {
            return torch.jit.load(full);
        }
        catch (ExternalException e)
        {
            throw new ArgumentException($"TorchScript file '{path}' cannot be loaded by libtorch ({FirstLine(e.Message)}): {SaveHint}.");
        }
    }

    /// <summary>Why the file is plainly not TorchScript (the rest of the sentence), or null when it may be.</summary>
    private static string? NotTorchScript(string path)
    {
        if (SafetensorsFormat.LooksLikeSafetensors(path))
            return "is a safetensors file of weights, not a TorchScript module (code and weights): " +
                   $"{SaveHint}; safetensors files of the same module serve as the sweep's checkpoints.";
        using var stream = File.OpenRead(path);
        var head = new byte[4];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 2 && head[0] == 0x80 && head[1] <= 5) // a pickle's PROTO opcode: torch.save's legacy format
            return $"is a pickle written by torch.save (a state_dict or a pickled module), not a TorchScript module: {SaveHint}.";
        if (read < 4 || head[0] != (byte)'P' || head[1] != (byte)'K')
            return $"is not a TorchScript file (TorchScript files are zip archives): {SaveHint}.";
        stream.Position = 0;
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            if (names.Any(n => n.EndsWith("/constants.pkl", StringComparison.Ordinal)))
                return null; // TorchScript: code, constants and data
            var data = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
            if (data is null)
                return $"is a zip archive but not a TorchScript file (it has no constants.pkl): {SaveHint}.";
            return IsStateDict(data)
                ? $"is a state_dict saved with torch.save, not a TorchScript module: {SaveHint}; " +
                  "state_dicts of the same module serve as the sweep's checkpoints."
                : $"is a module pickled with torch.save, not a TorchScript module: {SaveHint}.";
        }
        catch (InvalidDataException)
        {
            return $"is a damaged zip archive, not a readable TorchScript file: {SaveHint}.";
        }
    }

    /// <summary>Whether a torch.save pickle holds a state_dict: its first object is an OrderedDict (or a dict) of tensors.</summary>
    private static bool IsStateDict(ZipArchiveEntry data)
    {
        using var stream = data.Open();
        var head = new byte[64];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var text = Encoding.Latin1.GetString(head, 0, read);
        // Protocol 2 opens with GLOBAL 'collections OrderedDict' for a state_dict, or EMPTY_DICT ('}') for a plain dict.
        return text.Contains("collections\nOrderedDict", StringComparison.Ordinal) || (read > 2 && head[2] == (byte)'}');
    }

    /// <summary>
    /// What a libtorch error says went wrong: for the TorchScript interpreter, whose first line is only "The following
    /// operation failed", its last line naming an error (e.g. "RuntimeError: ..."); else its first line.
    /// </summary>
    internal static string Cause(ExternalException error)
    {
        var lines = error.Message.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var cause = lines.Count > 1 ? lines.LastOrDefault(l => l.Contains("Error", StringComparison.Ordinal)) ?? lines[0] : lines.FirstOrDefault() ?? "";
        return cause.TrimEnd('.');
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
