using System.Globalization;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// The rows <c>probegrid regress</c> regresses on, built from each sweep's results without a grid: one row per
/// sweep, at the layer and checkpoint asked for (default: the sweep's last checkpoint by step), each metric the
/// mean of its repeats.
/// </summary>
public sealed record RegressionTable(string Layer, IReadOnlyList<string> Features, string Target, IReadOnlyList<RegressionRow> Rows)
{
    /// <summary>How many of the lowest orders the default features take (the paper's 8-d vector: 4 orders x 2).</summary>
    public const int DefaultOrders = 4;

    public double[][] X => [.. Rows.Select(r => r.Features)];

    public double[] Y => [.. Rows.Select(r => r.Target)];

    /// <summary>
    /// The paper's features: <c>complexity.significance.l{o}</c> then <c>complexity.reliability.l{o}</c> for the
    /// <see cref="DefaultOrders"/> lowest orders o with a significance at <paramref name="layer"/> (empty if none).
    /// </summary>
    public static IReadOnlyList<string> DefaultFeatures(IEnumerable<MetricValue> values, string layer)
    {
        var prefix = MetricNames.ComplexitySignificance + ".l";
        var orders = values.Where(v => v.Layer == layer && v.Metric.StartsWith(prefix, StringComparison.Ordinal))
            .Select(v => int.TryParse(v.Metric.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : -1)
            .Where(o => o >= 0).Distinct().Order().Take(DefaultOrders).ToList();
        return
        [
            .. orders.Select(o => $"{MetricNames.ComplexitySignificance}.l{o}"),
            .. orders.Select(o => $"{MetricNames.ComplexityReliability}.l{o}"),
        ];
    }

    /// <summary>
    /// One row per sweep; null with every problem listed (which sweep, which metric, and the fix) when a sweep
    /// lacks the layer, the checkpoint, a feature or the target.
    /// </summary>
    public static RegressionTable? Build(
        IReadOnlyList<(string Sweep, IReadOnlyList<MetricValue> Values)> sweeps, string layer, IReadOnlyList<string> features, string target,
        string? checkpoint, List<string> problems)
    {
        var rows = new List<RegressionRow>();
        var before = problems.Count;
        foreach (var (sweep, values) in sweeps)
        {
            var atLayer = values.Where(v => v.Layer == layer).ToList();
            if (atLayer.Count == 0)
            {
                var layers = values.Select(v => v.Layer).Distinct().Order(StringComparer.Ordinal).ToList();
                problems.Add(layers.Count == 0
                    ? $"sweep '{sweep}' has no results yet: let it finish (`probegrid watch {sweep}`), or leave it out"
                    : $"sweep '{sweep}' has no results at layer '{layer}'; its layers: {string.Join(", ", layers)}: pick one of those with --layer");
                continue;
            }

            MetricValue? last = atLayer.OrderBy(v => v.Step).ThenBy(v => v.Checkpoint, StringComparer.Ordinal).Last();
            var name = checkpoint ?? last.Checkpoint;
            var at = atLayer.Where(v => v.Checkpoint == name).ToList();
            if (at.Count == 0)
            {
                var names = atLayer.OrderBy(v => v.Step).Select(v => v.Checkpoint).Distinct().ToList();
                problems.Add($"sweep '{sweep}' has no checkpoint '{name}' at layer '{layer}'; its checkpoints: {string.Join(", ", names)}: pick one with --checkpoint, or leave it out for each sweep's last");
                continue;
            }

            var means = at.GroupBy(v => v.Metric).ToDictionary(g => g.Key, g => g.Average(v => v.Value), StringComparer.Ordinal);
            var missing = features.Append(target).Where(m => !means.ContainsKey(m)).Distinct().ToList();
            foreach (var metric in missing)
                problems.Add($"sweep '{sweep}' has no '{metric}' at layer '{layer}', checkpoint '{name}': {Fix(metric, means.Keys)}");
            if (missing.Count > 0) continue;
            rows.Add(new RegressionRow(sweep, name, at[0].Step, [.. features.Select(f => means[f])], means[target]));
        }
        return problems.Count > before ? null : new RegressionTable(layer, features, target, rows);
    }

    private static string Fix(string metric, IEnumerable<string> known)
    {
        var list = string.Join(", ", known.Order(StringComparer.Ordinal));
        if (metric.StartsWith(MetricNames.ComplexityReliability + ".", StringComparison.Ordinal))
            return "give the sweep's complexity analysis reliability peers (parameter `peers`, docs/analyses/complexity.md) and run it again, " +
                   $"or choose the features with --feature; its metrics there: {list}";
        if (metric.StartsWith("complexity.", StringComparison.Ordinal))
            return $"run the sweep with the complexity analysis at this layer, with that order in `orders`, or choose other metrics (--feature, --target); its metrics there: {list}";
        return $"choose --feature/--target among its metrics there: {list}";
    }
}
