using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// Trains the probes of all requested layers of one checkpoint together, in one batched pass
/// over the cached activations; optionally warm-started from the previous checkpoint's probes.
/// On multi-label data the probes are sigmoid probes of the label sets (see ProbeObjective).
/// </summary>
public static class ProbeJob
{
    public static IReadOnlyList<ProbeResult> Run(
        CheckpointActivations activations,
        IReadOnlyList<LayerRef> layers,
        ProbeOptions options,
        IReadOnlyDictionary<string, ProbeWeights>? warmStart,
        torch.Device device,
        CancellationToken ct) =>
        ProbeTrainer.TrainAll(
            layers.Select(l => activations.Layers[l.Name]).ToList(),
            activations.TrainTargets, activations.ValidationTargets, activations.TestTargets,
            activations.ClassCount, options, warmStart, ct, device);
}
