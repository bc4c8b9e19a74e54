namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>
/// A family of metrics named <c>&lt;prefix&gt;&lt;layer&gt;</c> (e.g. <c>cka.with.conv1</c>) at one checkpoint as a layer x layer
/// matrix: one series per layer (its row), one point per other layer (its column), both in depth order, means over repeats.
/// </summary>
public static class LayerMatrixBuilder
{
    public static Curve Build(IEnumerable<MetricValue> values, string prefix, string checkpoint)
    {
        var selected = values.Where(v => v.Checkpoint == checkpoint && v.Metric.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var depth = selected.GroupBy(v => v.Layer).ToDictionary(g => g.Key, g => g.First().LayerIndex);
        var rows = selected.GroupBy(v => (v.Layer, v.LayerIndex)).OrderBy(g => g.Key.LayerIndex).Select(row =>
            new CurveSeries(row.Key.Layer, row.Key.LayerIndex, row
                .GroupBy(v => v.Metric[prefix.Length..])
                .Where(column => depth.ContainsKey(column.Key))
                .OrderBy(column => depth[column.Key])
                .Select(column => new CurvePoint(depth[column.Key], column.Key, column.Average(v => v.Value), 0, column.Count()))
                .ToImmutableArray()));
        return new Curve(prefix.TrimEnd('.'), CurveAxis.Layer, rows.ToImmutableArray());
    }
}
