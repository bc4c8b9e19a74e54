using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Grains.Compute;

/// <summary>The tapped activations of one checkpoint on all three splits, with the labels.</summary>
public sealed record CheckpointActivations(
    IReadOnlyDictionary<string, LayerFeatures> Layers,
    long[] TrainLabels,
    long[] ValidationLabels,
    long[] TestLabels,
    int ClassCount);
