using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>What one unit produced: its metrics, or the cause of its failure, and where and how long it ran.</summary>
[GenerateSerializer, Immutable]
public sealed record UnitOutcome(
    [property: Id(0)] UnitKey Key,
    [property: Id(1)] ImmutableArray<MetricValue> Metrics,
    [property: Id(2)] string? Error,
    [property: Id(3)] string Silo,
    [property: Id(4)] double Seconds)
{
    public bool Succeeded => Error is null;

    /// <summary>Per-pixel maps (the information-discarding analysis); empty for the others. Not kept by the sweep: read on demand.</summary>
    [Id(5)] public ImmutableArray<PixelMap> Maps { get; init; } = [];

    /// <summary>
    /// The unit's trained probe when its sweep warm-starts probes (null otherwise): stored with the unit, so the
    /// next checkpoint starts from it after any restart exactly as it would have without one.
    /// </summary>
    [Id(6)] public LayerProbeWeights? ProbeWeights { get; init; }
}
