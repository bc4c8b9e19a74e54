using TorchSharp;

namespace ProbeGrid.Analysis.Zoo.TorchScript;

/// <summary>
/// "torchscript": a network ProbeGrid does not know, exported by its author with <c>torch.jit.script</c> (or trace)
/// and <c>torch.jit.save</c>, whose forward returns the logits and then the taps (docs/torchscript.md). Parameters:
/// <c>file</c>, the TorchScript file (absolute, or relative to the working folder; a host resolves it against its
/// data roots first, see <see cref="FileParameters"/>), and <c>taps</c>, the names of the tensors forward returns
/// after the logits. The file carries its own weights: building with a seed does not re-draw them, so every seed
/// gives the file's network. Shapes and the class count come from a dry run of the file (<see cref="TorchScriptDryRun"/>).
/// </summary>
public sealed class TorchScriptArchitecture : Architecture<TorchScriptConfig>
{
    public override string Name => TorchScriptConfig.Architecture;

    /// <summary>"file": the planner resolves it against the data roots before the file is opened.</summary>
    public override IReadOnlyList<string> FileParameters => [TorchScriptConfig.FileParameter];

    public override TorchScriptConfig Read(ModelParameterReader reader) => TorchScriptConfig.Read(reader);

    /// <summary>
    /// Opens the file and runs it once on a zero batch of this sample shape (cached): the file must be TorchScript,
    /// take the samples, and return the logits and as many taps as <c>taps</c> names.
    /// </summary>
    public override IEnumerable<string> DataProblems(TorchScriptConfig config, long[] sampleShape, long[]? targetShape)
    {
        if (config.File is null)
            yield break; // reported with the parameters
        if (sampleShape.Length == 0 || sampleShape.Any(d => d <= 0))
        {
            yield return $"{Name}: sample shape [{string.Join(", ", sampleShape)}] must have at least one dimension, all positive.";
            yield break;
        }
        var run = TorchScriptDryRun.Of(config.File, sampleShape);
        foreach (var problem in run.Problems)
            yield return $"{Name}: {problem}";
        if (run.Problems.Count > 0)
            yield break;
        var shapes = string.Join(", ", run.TapShapes.Select(ShapeText));
        if (config.Taps is null)
            yield return $"{Name}: forward of '{config.File}' returns {run.TapShapes.Count} taps after the logits (per-sample shapes {shapes}): " +
                         $"name them, in that order, with parameter '{TorchScriptConfig.TapsParameter}'.";
        else if (config.Taps.Count != run.TapShapes.Count)
            yield return $"{Name}: forward of '{config.File}' returns {run.TapShapes.Count} tap{Plural(run.TapShapes.Count)} after the logits " +
                         $"(per-sample shapes {shapes}), but parameter '{TorchScriptConfig.TapsParameter}' names {config.Taps.Count} " +
                         $"({string.Join(", ", config.Taps)}): give one name per returned tensor, in the order forward returns them.";
    }

    /// <summary>The logits' width, from the dry run, must be the data set's class count: the file's classifier is fixed.</summary>
    public override IEnumerable<string> ClassCountProblems(TorchScriptConfig config, long[] sampleShape, int classCount)
    {
        if (config.File is null)
            yield break;
        var run = TorchScriptDryRun.Of(config.File, sampleShape);
        if (run.LogitsShape is [var width] && width != classCount)
            yield return $"{Name}: the logits of '{config.File}' have {width} classes, but the data set has {classCount} classes: " +
                         $"use a data set with {width} classes, or export the network with a classifier for {classCount}.";
    }

    public override IReadOnlyList<string> TapNames(TorchScriptConfig config) => config.TapNames;

    /// <summary>By the (cached) dry run of the file: a TorchScript module declares no shapes.</summary>
    /// <exception cref="ArgumentException">The file cannot serve these samples or this class count.</exception>
    public override IReadOnlyDictionary<string, long[]> TapShapes(TorchScriptConfig config, long[] sampleShape, int classCount, long[]? targetShape)
    {
        var run = Checked(config, sampleShape, classCount);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal) { ["input"] = [.. sampleShape] };
        for (var i = 0; i < config.Taps!.Count; i++)
            shapes[config.Taps[i]] = run.TapShapes[i];
        shapes["logits"] = run.LogitsShape!;
        return shapes;
    }

    /// <summary>Loads the file's module with its own weights; <paramref name="generator"/> is not drawn from (the file fixes the weights).</summary>
    /// <exception cref="ArgumentException">The file cannot serve these samples or this class count.</exception>
    public override TappedModel Build(TorchScriptConfig config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator)
    {
        Checked(config, sampleShape, classCount);
        return new TorchScriptModel(TorchScriptFile.Load(config.File!), config.Taps!, config.File!);
    }

    private TorchScriptDryRun Checked(TorchScriptConfig config, long[] sampleShape, int classCount)
    {
        if (config.File is null || config.Taps is null)
            throw new ArgumentException($"{Name} needs parameters '{TorchScriptConfig.FileParameter}' and '{TorchScriptConfig.TapsParameter}'; read them with ReadParameters.");
        var problems = DataProblems(config, sampleShape, null).Concat(ClassCountProblems(config, sampleShape, classCount)).ToList();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        return TorchScriptDryRun.Of(config.File, sampleShape);
    }

    private static string ShapeText(long[] shape) => $"[{string.Join(", ", shape)}]";

    private static string Plural(int count) => count == 1 ? "" : "s";
}
