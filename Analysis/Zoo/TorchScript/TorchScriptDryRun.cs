using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchScript;

/// <summary>
/// What one forward pass of a TorchScript file on a zero batch reports: the per-sample shape of the logits and of
/// each tap it returns, or every reason it cannot serve as a network. A TorchScript module declares no shapes, so
/// this is how its taps' shapes and its class count are known; the outcome is cached by the file's path, size and
/// modification time and the sample shape, so a planner that asks for tap shapes per layer loads the file once.
/// </summary>
/// <param name="LogitsShape">the logits' shape for one sample, e.g. [10]; null when the run failed.</param>
/// <param name="TapShapes">each returned tap's shape for one sample, in the order forward returns them.</param>
/// <param name="Problems">why the file cannot be used with this sample shape; empty when it can.</param>
public sealed record TorchScriptDryRun(long[]? LogitsShape, IReadOnlyList<long[]> TapShapes, IReadOnlyList<string> Problems)
{
    /// <summary>Two samples, so that a module that drops or mixes up the batch dimension is seen doing so.</summary>
    private const int Batch = 2;

    private static readonly ConcurrentDictionary<string, TorchScriptDryRun> Cache = new(StringComparer.Ordinal);

    /// <summary>The outcome for <paramref name="file"/> on samples of <paramref name="sampleShape"/>, from the cache when the file is unchanged.</summary>
    public static TorchScriptDryRun Of(string file, long[] sampleShape)
    {
        var full = Path.GetFullPath(file);
        var info = new FileInfo(full);
        if (!info.Exists)
            return Run(file, sampleShape); // reports the missing file; nothing to key a cache entry on
        var key = $"{full}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|{string.Join(",", sampleShape)}";
        return Cache.GetOrAdd(key, _ => Run(file, sampleShape));
    }

    private static TorchScriptDryRun Run(string file, long[] sampleShape)
    {
        jit.ScriptModule module;
        try
        {
            module = TorchScriptFile.Load(file);
        }
        catch (ArgumentException e)
        {
            return Failed(e.Message);
        }
        using (module)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            // Eval mode: batch norm would otherwise fold the zero batch into the file's running statistics.
            module.eval();
            var input = zeros([Batch, .. sampleShape]);
            object returned;
            try
            {
                returned = module.forward(input);
            }
            catch (ExternalException e)
            {
                return Failed($"TorchScript file '{file}': forward refused a float32 batch of shape [{string.Join(", ", input.shape)}] " +
                              $"({Batch} samples of the data set's sample shape [{string.Join(", ", sampleShape)}]): {TorchScriptFile.Cause(e)}. " +
                              "Use a data set whose samples this module takes, or export a module that takes samples of this shape.");
            }
            var outputs = TorchScriptOutputs.Flatten(returned, out var problem);
            if (outputs is null)
                return Failed($"TorchScript file '{file}': forward {problem}");
            if (outputs.Length < 2)
                return Failed($"TorchScript file '{file}': forward returns {outputs.Length} tensor{(outputs.Length == 1 ? "" : "s")}, so there are no taps: " +
                              "make forward return (logits, tap1, tap2, ...), a tuple or list of tensors with the logits first.");
            var problems = new List<string>();
            for (var i = 0; i < outputs.Length; i++)
            {
                var what = i == 0 ? "the logits (the first tensor forward returns)" : $"tap {i} (tensor {i} forward returns)";
                var shape = outputs[i].shape;
                if (shape.Length == 0 || shape[0] != Batch)
                    problems.Add($"TorchScript file '{file}': {what} has shape [{string.Join(", ", shape)}] for a batch of {Batch} samples: " +
                                 "its first dimension must be the batch; return per-sample tensors [batch, ...].");
                else if (!outputs[i].is_floating_point())
                    problems.Add($"TorchScript file '{file}': {what} is {outputs[i].dtype}: return floating-point tensors (features, not indices).");
            }
            if (problems.Count == 0 && outputs[0].dim() != 2)
                problems.Add($"TorchScript file '{file}': the logits (the first tensor forward returns) have shape [{string.Join(", ", outputs[0].shape)}]: " +
                             "they must be [batch, classes]; flatten them, or put the logits first.");
            if (problems.Count > 0)
                return new(null, [], problems);
            return new(outputs[0].shape[1..], [.. outputs.Skip(1).Select(t => t.shape[1..])], []);
        }
    }

    private static TorchScriptDryRun Failed(string problem) => new(null, [], [problem]);
}
