using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>The metric rows of one unit: its checkpoint, layer and repeat fixed, a metric and a value added at a time.</summary>
public sealed class UnitMetrics(CheckpointRef checkpoint, LayerRef layer, int repeat)
{
    private readonly ImmutableArray<MetricValue>.Builder rows = ImmutableArray.CreateBuilder<MetricValue>();

    public void Add(string metric, double value) =>
        rows.Add(new MetricValue(checkpoint.Name, checkpoint.Step, layer.Name, layer.Index, repeat, metric, value));

    /// <summary>Adds a value that exists: a mean over nothing has none, and its point is left out rather than made up.</summary>
    public void Add(string metric, double? value)
    {
        if (value is { } v) Add(metric, v);
    }

    /// <summary>Adds a finite value; NaN or infinity (a ratio with nothing to divide by) leaves the point out.</summary>
    public void AddFinite(string metric, double value)
    {
        if (double.IsFinite(value)) Add(metric, value);
    }

    public ImmutableArray<MetricValue> ToImmutable() => rows.ToImmutable();
}
