namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>
/// One number a unit produced: a metric of one analysis at one (checkpoint, layer, repeat).
/// Curves are sets of these; the CSV export writes one per row.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MetricValue(
    [property: Id(0)] string Checkpoint,
    [property: Id(1)] long Step,
    [property: Id(2)] string Layer,
    [property: Id(3)] int LayerIndex,
    [property: Id(4)] int Repeat,
    [property: Id(5)] string Metric,
    [property: Id(6)] double Value);
