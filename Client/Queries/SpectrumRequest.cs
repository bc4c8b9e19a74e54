using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Client.Queries;

/// <summary>The complexity spectra of one or more sweeps as `probegrid spectrum` and the web API select them: the rows and one series per sweep, checkpoint and layer.</summary>
public sealed record SpectrumSelection(IReadOnlyList<(string Sweep, MetricValue Value)> Rows, Curve Curve);

/// <summary>
/// Selects spectra: a per-order metric (<c>&lt;metric&gt;.l&lt;order&gt;</c>) of each sweep, at given layers, at given checkpoints, every
/// checkpoint, or by default each sweep's last. Every problem (unknown sweep, no such values, conflicting options) is listed.
/// </summary>
public static class SpectrumRequest
{
    public static async Task<SpectrumSelection> SelectAsync(ProbeGridClient client, IReadOnlyList<string> sweeps, string metric,
        IReadOnlyCollection<string> layers, IReadOnlyCollection<string> checkpoints, bool allCheckpoints, Func<string, string> option, List<string> problems)
    {
        if (checkpoints.Count > 0 && allCheckpoints) problems.Add($"give {option("checkpoint")} or {option("all-checkpoints")}, not both");
        var rows = new List<(string Sweep, MetricValue Value)>();
        var series = new List<CurveSeries>();
        foreach (var id in sweeps)
        {
            var values = (await client.GetResultsAsync(id))
                .Where(v => SpectrumBuilder.OrderOf(v.Metric, metric + ".l") is not null && (layers.Count == 0 || layers.Contains(v.Layer)))
                .ToList();
            if (values.Count == 0)
            {
                problems.Add(await client.GetSpecAsync(id) is null
                    ? $"no sweep '{id}' in this state folder; `probegrid status` lists the sweeps there"
                    : $"sweep '{id}' has no '{metric}.l<order>' values{(layers.Count > 0 ? " at those layers" : "")} yet: run a complexity analysis, or check {option("metric")} (see README, Metrics)");
                continue;
            }
            if (checkpoints.Count > 0) values = values.Where(v => checkpoints.Contains(v.Checkpoint)).ToList();
            else if (!allCheckpoints)
            {
                var last = values.Max(v => v.Step);
                values = values.Where(v => v.Step == last).ToList();
            }
            rows.AddRange(values.Select(v => (id, v)));
            series.AddRange(SpectrumBuilder.Build(values, metric, id).Series);
        }
        return new SpectrumSelection(rows, new Curve(metric, CurveAxis.Order, [.. series]));
    }
}
