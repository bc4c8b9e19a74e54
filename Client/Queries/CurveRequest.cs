using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Client.Queries;

/// <summary>
/// A curve query as `probegrid curves` and the web API take it: the axis checked, then the metric's values selected,
/// with the same messages. <c>option</c> names a parameter as the caller shows it (<c>--along</c> on the command line, <c>along</c> on the web).
/// </summary>
public static class CurveRequest
{
    public static CurveAxis? ParseAlong(string? along, Func<string, string> option, List<string> problems)
    {
        CurveAxis? axis = along switch { "layer" => CurveAxis.Layer, "checkpoint" => CurveAxis.Checkpoint, _ => null };
        if (axis is null) problems.Add($"{option("along")} '{along}' must be layer or checkpoint");
        return axis;
    }

    /// <summary>The values <paramref name="query"/> includes; none is a problem naming the metrics the sweep has so far.</summary>
    public static async Task<IReadOnlyList<MetricValue>> ValuesAsync(ProbeGridClient client, string sweepId, CurveQuery query, List<string> problems)
    {
        var values = (await client.GetResultsAsync(sweepId, query.Metric)).Where(query.Includes).ToList();
        if (values.Count == 0) problems.Add(await NoValuesAsync(client, sweepId, query));
        return values;
    }

    private static async Task<string> NoValuesAsync(ProbeGridClient client, string sweepId, CurveQuery query)
    {
        var known = (await client.GetResultsAsync(sweepId)).Select(v => v.Metric).Distinct().Order(StringComparer.Ordinal).ToList();
        var filtered = query.Layers.IsDefaultOrEmpty && query.Checkpoints.IsDefaultOrEmpty ? "" : " for those layers/checkpoints";
        return $"Sweep {sweepId} has no values of '{query.Metric}'{filtered}; its metrics so far: {(known.Count > 0 ? string.Join(", ", known) : "none yet")}";
    }
}
