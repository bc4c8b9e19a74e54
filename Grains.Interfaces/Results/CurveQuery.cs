namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>Which curve to derive from a sweep's results: a metric along layers or checkpoints, optionally only some of them.</summary>
[GenerateSerializer, Immutable]
public sealed record CurveQuery(
    [property: Id(0)] string Metric,
    [property: Id(1)] CurveAxis Along,
    [property: Id(2)] ImmutableArray<string> Layers = default,
    [property: Id(3)] ImmutableArray<string> Checkpoints = default)
{
    public bool Includes(MetricValue value) =>
        value.Metric == Metric
        && (Layers.IsDefaultOrEmpty || Layers.Contains(value.Layer))
        && (Checkpoints.IsDefaultOrEmpty || Checkpoints.Contains(value.Checkpoint));
}
