using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>
/// A checkpoint whose units have all finished, with each analysis's headline metric (the first curve it plots) per
/// layer and repeat: what a live view of a following sweep shows as the curves grow.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AnalysedCheckpoint(
    [property: Id(0)] CheckpointRef Checkpoint,
    [property: Id(1)] DateTime? LandedAt,
    [property: Id(2)] ImmutableArray<MetricValue> Headline);
