using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Grains.Analyses;

/// <summary>What a unit produced: its metrics, and the extra outputs its analysis declares (maps, a warm start's weights).</summary>
public sealed record AnalysisOutput(ImmutableArray<MetricValue> Metrics)
{
    public ImmutableArray<PixelMap> Maps { get; init; } = [];

    public LayerProbeWeights? ProbeWeights { get; init; }
}
