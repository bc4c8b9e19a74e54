using System.Collections.Immutable;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>
/// A validated spec expanded against the file system and the model: the checkpoints in training
/// order, the tapped layers in depth order, and so the units (checkpoint x layer x analysis x repeat).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SweepPlan(
    [property: Id(0)] string SweepId,
    [property: Id(1)] SweepSpec Spec,
    [property: Id(2)] string Architecture,
    [property: Id(3)] ImmutableSortedDictionary<string, string> ModelParameters,
    [property: Id(4)] ImmutableArray<CheckpointRef> Checkpoints,
    [property: Id(5)] ImmutableArray<LayerRef> Layers)
{
    /// <summary>
    /// Each analysis's settings, in the order of <see cref="SweepSpec.Analyses"/>, read and validated at plan time.
    /// Default (not empty) in a plan stored before settings were kept: the sweep grain reads them again from the spec.
    /// </summary>
    [Id(6)] public ImmutableArray<AnalysisSettings> Settings { get; init; }

    /// <summary>
    /// Units are numbered checkpoint first (checkpoint, repeat, analysis, layer) rather than repeat first, so checkpoints
    /// appended to the plan keep every unit's number: set for a sweep that follows a training run.
    /// </summary>
    [Id(7)] public bool ByCheckpoint { get; init; }

    /// <summary>The work of one checkpoint and repeat: the layers still to do, the checkpoint before it, and all the sweep's layers, checkpoints and settings.</summary>
    public CheckpointWork WorkFor(int checkpoint, int repeat, ImmutableArray<LayerRef> layers) =>
        new(SweepId, Spec, Architecture, ModelParameters, Checkpoints[checkpoint], layers, repeat, checkpoint > 0 ? Checkpoints[checkpoint - 1] : null, Layers)
        {
            SweepCheckpoints = Checkpoints,
            Settings = Settings,
        };

    public int UnitCount => Checkpoints.Length * Layers.Length * Spec.Analyses.Length * Spec.Repeats;

    public IEnumerable<UnitKey> Units() => ByCheckpoint
        ? from checkpoint in Checkpoints
          from repeat in Enumerable.Range(0, Spec.Repeats)
          from analysis in Spec.Analyses
          from layer in Layers
          select new UnitKey(checkpoint.Name, layer.Name, analysis.Kind, repeat)
        : from repeat in Enumerable.Range(0, Spec.Repeats)
          from checkpoint in Checkpoints
          from analysis in Spec.Analyses
          from layer in Layers
          select new UnitKey(checkpoint.Name, layer.Name, analysis.Kind, repeat);
}
