using System.Collections.Immutable;
using System.Globalization;

namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>
/// Derives complexity spectra from metric values: a per-order metric ("&lt;metric&gt;.l&lt;order&gt;", e.g.
/// complexity.significance.l4) as a curve along the order, one series per checkpoint and layer,
/// averaging over repeats.
/// </summary>
public static class SpectrumBuilder
{
    /// <param name="label">put before each series' name (e.g. the sweep's name when spectra of several sweeps share a plot).</param>
    public static Curve Build(IEnumerable<MetricValue> values, string metric, string? label = null)
    {
        var prefix = metric + ".l";
        var series = values
            .Select(v => (Value: v, Order: OrderOf(v.Metric, prefix)))
            .Where(t => t.Order is not null)
            .GroupBy(t => (t.Value.Checkpoint, t.Value.Step, t.Value.Layer, t.Value.LayerIndex))
            .OrderBy(g => g.Key.Step).ThenBy(g => g.Key.Checkpoint, StringComparer.Ordinal).ThenBy(g => g.Key.LayerIndex)
            .Select(g => new CurveSeries(
                $"{(label is null ? "" : label + " ")}{g.Key.Checkpoint} {g.Key.Layer}", g.Key.Step,
                g.GroupBy(t => t.Order!.Value).OrderBy(o => o.Key).Select(o =>
                {
                    var ys = o.Select(t => t.Value.Value).ToArray();
                    var mean = ys.Average();
                    var std = ys.Length > 1 ? Math.Sqrt(ys.Sum(y => (y - mean) * (y - mean)) / (ys.Length - 1)) : 0.0;
                    return new CurvePoint(o.Key, $"l={o.Key}", mean, std, ys.Length);
                }).ToImmutableArray()));
        return new Curve(metric, CurveAxis.Order, series.ToImmutableArray());
    }

    /// <summary>The order of a per-order metric name, or null when the name is not <paramref name="prefix"/> followed by a whole number.</summary>
    public static int? OrderOf(string metric, string prefix) =>
        metric.StartsWith(prefix, StringComparison.Ordinal)
        && int.TryParse(metric.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var order)
            ? order
            : null;
}
