using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// The tapped activations of one checkpoint on all three splits, with what the classifiers learn:
/// class labels (single-label data) or label sets (multi-label data; the label arrays then hold -1).
/// </summary>
public sealed record CheckpointActivations(
    IReadOnlyDictionary<string, LayerFeatures> Layers,
    long[] TrainLabels,
    long[] ValidationLabels,
    long[] TestLabels,
    int ClassCount)
{
    public ProbeTargets TrainTargets { get; init; } = ProbeTargets.Classes(TrainLabels);

    public ProbeTargets ValidationTargets { get; init; } = ProbeTargets.Classes(ValidationLabels);

    public ProbeTargets TestTargets { get; init; } = ProbeTargets.Classes(TestLabels);

    public bool IsMultiLabel => TrainTargets.IsMultiLabel;
}
