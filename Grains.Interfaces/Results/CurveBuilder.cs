using System.Collections.Immutable;

namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>Derives curves from metric values: groups by series and x, averaging over repeats.</summary>
public static class CurveBuilder
{
    public static Curve Build(IEnumerable<MetricValue> values, string metric, CurveAxis along)
    {
        var selected = values.Where(v => v.Metric == metric).ToList();
        var series = along == CurveAxis.Layer
            ? selected.GroupBy(v => (v.Checkpoint, v.Step))
                .OrderBy(g => g.Key.Step).ThenBy(g => g.Key.Checkpoint, StringComparer.Ordinal)
                .Select(g => new CurveSeries(g.Key.Checkpoint, g.Key.Step,
                    Points(g, v => v.LayerIndex, v => v.Layer)))
            : selected.GroupBy(v => (v.Layer, v.LayerIndex))
                .OrderBy(g => g.Key.LayerIndex)
                .Select(g => new CurveSeries(g.Key.Layer, g.Key.LayerIndex,
                    Points(g, v => v.Step, v => v.Checkpoint)));
        return new Curve(metric, along, series.ToImmutableArray());
    }

    private static ImmutableArray<CurvePoint> Points(IEnumerable<MetricValue> values, Func<MetricValue, long> x, Func<MetricValue, string> label) =>
        values.GroupBy(x).OrderBy(g => g.Key).Select(g =>
        {
            var ys = g.Select(v => v.Value).ToArray();
            var mean = ys.Average();
            var std = ys.Length > 1 ? Math.Sqrt(ys.Sum(y => (y - mean) * (y - mean)) / (ys.Length - 1)) : 0.0;
            return new CurvePoint(g.Key, label(g.First()), mean, std, ys.Length);
        }).ToImmutableArray();
}
