using System.Collections.Immutable;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Analysis.Zoo;

namespace ProbeGrid.Tests.Planning;

/// <summary>
/// Writes a checkpoint folder as <c>probegrid train</c> leaves it (step-NNNNNNN.pt files of a real
/// zoo model, model.json, optionally index.json) without training: checkpoint k holds the model
/// initialised with seed 1000 + step, so every checkpoint has different weights.
/// </summary>
internal static class CheckpointFolderWriter
{
    public static readonly ImmutableSortedDictionary<string, string> SmallMlp =
        new Dictionary<string, string> { ["depth"] = "3", ["width"] = "8" }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <returns>The checkpoint paths in the order the steps were given (which is also the write order).</returns>
    public static string[] Write(
        string folder,
        IEnumerable<long> steps,
        IReadOnlyDictionary<string, string>? parameters = null,
        long[]? sampleShape = null,
        bool withDescriptor = true,
        bool withIndex = false)
    {
        parameters ??= SmallMlp;
        sampleShape ??= [4];
        Directory.CreateDirectory(folder);
        if (withDescriptor)
            new ModelDescriptor("mlp", parameters, sampleShape, 2, 1, "gaussian-sign").Save(folder);
        var written = new List<string>();
        foreach (var step in steps)
        {
            var file = ModelTrainer.CheckpointFileName(step);
            var path = Path.Combine(folder, file);
            using (var model = ModelZoo.Create("mlp", parameters, sampleShape, 2, 1000 + step))
                CheckpointFile.Save(model, path);
            if (withIndex)
                CheckpointIndex.Append(folder, new CheckpointIndexEntry(step, file, DateTime.UtcNow, null));
            written.Add(path);
        }
        return [.. written];
    }
}
