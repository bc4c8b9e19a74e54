using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// The tapped activations of one checkpoint on all three splits, with what the classifiers learn:
/// class labels (single-label data) or label sets (multi-label data; the label arrays then hold -1).
/// <see cref="Layers"/> holds the taps whose activations are finite on every split; the others are in <see cref="NonFinite"/>.
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

    /// <summary>The requested taps that produced NaN or infinity, with where: their units fail, the other layers go on.</summary>
    public IReadOnlyDictionary<string, NonFiniteTap> NonFinite { get; init; } = new Dictionary<string, NonFiniteTap>();

    /// <summary>The layers of <paramref name="layers"/> whose activations are all finite, in the order given.</summary>
    public IReadOnlyList<LayerRef> Finite(IReadOnlyList<LayerRef> layers) => layers.Where(l => Layers.ContainsKey(l.Name)).ToList();
}
