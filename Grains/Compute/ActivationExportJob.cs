using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// One checkpoint's activations (through the activation cache) and labels as NumPy .npy files, in <c>train</c>,
/// <c>validation</c> and <c>test</c> folders: what `probegrid activations export` and the web API's export write.
/// </summary>
public sealed class ActivationExportJob(string cacheFolder)
{
    /// <summary>What was written; taps whose activations are NaN or infinite are left out and named with their cause.</summary>
    public sealed record Outcome(CheckpointRef Checkpoint, int Layers, IReadOnlyList<string> NotExported);

    /// <summary>The plan's checkpoint named <paramref name="name"/> (null: the last), or null with a problem naming the ones it has.</summary>
    public static CheckpointRef? Find(SweepPlan plan, string? name, string option, List<string> problems)
    {
        var checkpoint = name is null ? plan.Checkpoints[^1] : plan.Checkpoints.FirstOrDefault(c => c.Name == name);
        if (checkpoint is null)
            problems.Add($"{option} '{name}' is not in the sweep; its checkpoints are {string.Join(", ", plan.Checkpoints.Select(c => c.Name))}");
        return checkpoint;
    }

    public Outcome Run(SweepPlan plan, CheckpointRef checkpoint, int repeat, string folder, CancellationToken ct)
    {
        var job = new ActivationJob(new DatasetProvider(), new ActivationCache(cacheFolder));
        var inputs = new JobInputs(plan.Architecture, plan.ModelParameters, plan.Spec.Model.InitSeed + repeat, checkpoint, plan.Spec.Dataset, repeat,
            plan.Spec.Reduction, plan.Spec.Resources.BatchSize);
        var acts = job.Run(inputs, plan.Layers, TorchSharp.torch.CPU, ct);
        FeatureMatrix? Sets(ProbeTargets targets) => targets.LabelSets is { } sets ? new FeatureMatrix(sets, targets.Count, acts.ClassCount) : null;
        ActivationExport.ExportNpy(Path.Combine(folder, "train"), acts.Layers.ToDictionary(l => l.Key, l => l.Value.Train), acts.TrainLabels, Sets(acts.TrainTargets));
        ActivationExport.ExportNpy(Path.Combine(folder, "validation"), acts.Layers.ToDictionary(l => l.Key, l => l.Value.Validation), acts.ValidationLabels, Sets(acts.ValidationTargets));
        ActivationExport.ExportNpy(Path.Combine(folder, "test"), acts.Layers.ToDictionary(l => l.Key, l => l.Value.Test), acts.TestLabels, Sets(acts.TestTargets));
        var notExported = acts.NonFinite.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $"layer {n.Key} not exported: {n.Value.Describe()}").ToList();
        return new Outcome(checkpoint, acts.Layers.Count, notExported);
    }
}
