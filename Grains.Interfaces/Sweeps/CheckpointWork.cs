namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>
/// What a checkpoint's units need to run: the spec, the resolved model, the checkpoint, the
/// layers still to do, the repeat, the checkpoint before it (for warm-started probes), and all
/// the sweep's layers in depth order (analyses that compare layers, like early exit, need every
/// one even when only some units are left). One instance is shared by all units of the checkpoint.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CheckpointWork(
    [property: Id(0)] string SweepId,
    [property: Id(1)] Specs.SweepSpec Spec,
    [property: Id(2)] string Architecture,
    [property: Id(3)] ImmutableSortedDictionary<string, string> ModelParameters,
    [property: Id(4)] CheckpointRef Checkpoint,
    [property: Id(5)] ImmutableArray<LayerRef> Layers,
    [property: Id(6)] int Repeat,
    [property: Id(7)] CheckpointRef? Previous,
    [property: Id(8)] ImmutableArray<LayerRef> SweepLayers)
{
    /// <summary>The key of the grain that holds this checkpoint's activations for this repeat.</summary>
    public string CheckpointKey => GrainKeys.Checkpoint(SweepId, Checkpoint.Name, Repeat);

    /// <summary>All the sweep's checkpoints in training order, for analyses that compare checkpoints (CKA to the last one); empty when the caller gives none.</summary>
    [Id(9)] public ImmutableArray<CheckpointRef> SweepCheckpoints { get; init; } = [];

    /// <summary>The plan's settings of each analysis of the spec, read once at plan time (<see cref="SweepPlan.Settings"/>).</summary>
    [Id(10)] public ImmutableArray<Specs.AnalysisSettings> Settings { get; init; } = [];

    /// <summary>The settings of analysis <paramref name="kind"/>, as the plan holds them; null when the work carries none (a coordinator of another version).</summary>
    public Specs.AnalysisSettings? SettingsFor(string kind) => Settings.FirstOrDefault(s => s.Kind == kind);

    /// <summary>The settings of analysis <paramref name="kind"/>, as the plan holds them.</summary>
    /// <exception cref="InvalidOperationException">the work carries none of that kind, or of another type (a silo of another version).</exception>
    public T SettingsOf<T>(string kind) where T : Specs.AnalysisSettings =>
        SettingsFor(kind) as T
        ?? throw new InvalidOperationException($"the work of sweep {SweepId} carries no {typeof(T).Name} for analysis '{kind}': resubmit the sweep so its plan is made by this version");
}
