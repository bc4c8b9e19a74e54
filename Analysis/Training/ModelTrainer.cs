using System.Globalization;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;

namespace ProbeGrid.Analysis.Training;

/// <summary>
/// Trains a zoo model and leaves behind the checkpoint folder a sweep analyses: model.json, the
/// untrained step-0 checkpoint, periodic ones (every N steps and/or T minutes), a final one, and
/// index.json in step order. The optimizer state is kept beside the last checkpoint, so running
/// again on the same folder continues an interrupted run from there, on the same data order.
/// Runs synchronously on the calling thread (one dispose scope per step).
/// </summary>
public static class ModelTrainer
{
    public static string CheckpointFileName(long step) => $"step-{step.ToString("D7", CultureInfo.InvariantCulture)}.pt";

    /// <summary>
    /// Trains <paramref name="model"/> for <see cref="TrainingOptions.Steps"/> steps in all, resuming
    /// from <paramref name="checkpointFolder"/>'s last checkpoint when it holds this run already.
    /// Cancellation stops at the next step boundary after writing a checkpoint there; the report
    /// then has <c>Cancelled</c> set, and calling again continues.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, or data that does not fit the descriptor.</exception>
    /// <exception cref="CheckpointException">The folder holds another model's checkpoints, another run's options, or unreadable state.</exception>
    /// <exception cref="InvalidOperationException">The loss became NaN or infinite (the checkpoints before it stay valid).</exception>
    public static TrainingReport Train(
        TappedModel model,
        LabeledData train,
        TrainingOptions options,
        string checkpointFolder,
        ModelDescriptor descriptor,
        CancellationToken ct,
        IProgress<TrainingProgress>? progress = null)
    {
        var problems = options.Validate().ToList();
        if (!train.SampleShape.SequenceEqual(descriptor.SampleShape))
            problems.Add($"training data sample shape [{string.Join(", ", train.SampleShape)}] differs from the descriptor's [{string.Join(", ", descriptor.SampleShape)}].");
        if (train.ClassCount != descriptor.ClassCount)
            problems.Add($"training data has {train.ClassCount} classes but the descriptor says {descriptor.ClassCount}.");
        if (!(train.TargetShape ?? []).SequenceEqual(descriptor.TargetShape ?? []))
            problems.Add(train.IsRegression
                ? $"training data has regression targets of shape [{string.Join(", ", train.TargetShape!)}] but the descriptor's target shape is " +
                  (descriptor.TargetShape is null ? "absent (a classifier's)." : $"[{string.Join(", ", descriptor.TargetShape)}].")
                : $"training data has {train.Kind} targets but the descriptor describes a regressor of target shape [{string.Join(", ", descriptor.TargetShape!)}].");
        if (train.IsRegression != (model.OutputKind == TargetKind.Regression))
            problems.Add(train.IsRegression
                ? $"the model outputs class logits but the training data has regression targets; train a regressor ({DisentanglerNetConfig.Architecture}) on it."
                : "the model is a regressor (MSE) but the training data has classes or label sets; train a classifier on it.");
        if (train.Count == 0)
            problems.Add("training data is empty.");
        if (problems.Count > 0)
            throw new ArgumentException($"Cannot train:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}");

        Directory.CreateDirectory(checkpointFolder);
        ClaimFolder(checkpointFolder, descriptor);
        using var run = new TrainingRun(model, train, options, checkpointFolder, progress);
        return run.Execute(ct);
    }

    /// <summary>Writes model.json into a new folder, or checks that an existing one describes this very run.</summary>
    private static void ClaimFolder(string folder, ModelDescriptor descriptor)
    {
        var existing = ModelDescriptor.TryLoad(folder);
        if (existing is not null)
        {
            var differences = existing.DifferencesFrom(descriptor);
            if (differences.Count > 0)
                throw new CheckpointException(folder,
                    [.. differences.Select(d => $"its model.json describes another run ({d}; folder vs this run).")],
                    "Train this model into a new (or empty) folder; to continue the folder's own run, use the model and seed of its model.json.");
            return;
        }
        var foreign = Directory.EnumerateFiles(folder)
            .Select(Path.GetFileName)
            .Where(name => name is not null && (name == CheckpointIndex.FileName || CheckpointDiscovery.StepFromFileName(name) is not null && IsCheckpointName(name)))
            .ToList();
        if (foreign.Count > 0)
            throw new CheckpointException(folder,
                $"holds checkpoints ({string.Join(", ", foreign.Take(3))}{(foreign.Count > 3 ? ", ..." : "")}) but no model.json, so they may belong to another network.",
                "Train into a new (or empty) folder, or add the model.json of the run that wrote them.");
        descriptor.Save(folder);
    }

    // Every format a sweep reads (another trainer's .pth, .bin or sharded index is as foreign as ours).
    private static bool IsCheckpointName(string name) =>
        DiscoveredCheckpoint.NameOf(name).Length < name.Length;
}
