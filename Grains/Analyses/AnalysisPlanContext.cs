using ProbeGrid.Grains.Models;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// What the planner knows when it checks an analysis: the spec (its data root resolved), whether the data set
/// is valid, the network (null when the spec names none that is valid), the layers (empty when they could not
/// be resolved), the checkpoints, the architectures and data sets the grid knows, and how a file parameter is checked against the data roots.
/// </summary>
public sealed class AnalysisPlanContext(
    SweepSpec spec, bool datasetValid, string? architecture, IReadOnlyDictionary<string, string> modelParameters,
    ImmutableArray<LayerRef> layers, ImmutableArray<CheckpointRef> checkpoints, ModelCatalog models, Func<string, string, string, List<string>, string?> underDataRoots)
{
    private IReadOnlyDictionary<string, long[]>? tapShapes;
    private IReadOnlyList<string>? forwardFromTaps;

    public SweepSpec Spec { get; } = spec;

    public bool DatasetValid { get; } = datasetValid;

    public string? Architecture { get; } = architecture;

    public IReadOnlyDictionary<string, string> ModelParameters { get; } = modelParameters;

    /// <summary>The tapped layers in depth order; empty when the model or the layers have problems of their own.</summary>
    public ImmutableArray<LayerRef> Layers { get; } = layers;

    /// <summary>The sweep's checkpoints in training order (empty when the folder could not be read).</summary>
    public ImmutableArray<CheckpointRef> Checkpoints { get; } = checkpoints;

    /// <summary>The architectures and data sets the grid knows.</summary>
    public ModelCatalog Models { get; } = models;

    /// <summary>The number of classes of a valid data set.</summary>
    public int ClassCount => Models.ClassCount(Spec.Dataset);

    /// <summary>The network's tap shapes on the data set's samples (computed without allocating it); only when <see cref="Layers"/> is not empty.</summary>
    public IReadOnlyDictionary<string, long[]> TapShapes => tapShapes ??= Models.TapShapes(Architecture!, ModelParameters, Spec.Dataset);

    /// <summary>The taps the network can be run from upward (<see cref="Analysis.Zoo.TappedModel.ForwardFromTaps"/>); only when <see cref="Layers"/> is not empty.</summary>
    public IReadOnlyList<string> ForwardFromTaps => forwardFromTaps ??= Models.ForwardFromTaps(Architecture!, ModelParameters, Spec.Dataset);

    /// <summary>The absolute path of <paramref name="value"/> under a data root; null, with a problem naming <paramref name="field"/> and the fix, when it is outside.</summary>
    public string? UnderDataRoots(string value, string field, string what, List<string> problems) => underDataRoots(value, field, what, problems);
}
