using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Cli.Commands;
using ProbeGrid.Cli.Output;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Tests.Complexity;

/// <summary><c>probegrid regress</c>'s data assembly and outputs, without a grid.</summary>
public class RegressionTableTests
{
    private static MetricValue V(string checkpoint, long step, string metric, double value, int repeat = 0, string layer = "block2") =>
        new(checkpoint, step, layer, 5, repeat, metric, value);

    /// <summary>A sweep with orders 1, 4, 7, 13, 25 at two checkpoints (step 9 and step 10) and two repeats.</summary>
    private static List<MetricValue> Sweep(double shift, bool reliability = true)
    {
        var values = new List<MetricValue>();
        foreach (var (checkpoint, step) in new[] { ("ckpt-9", 9L), ("ckpt-10", 10L) })
            foreach (var repeat in new[] { 0, 1 })
            {
                foreach (var order in new[] { 13, 1, 25, 4, 7 })
                {
                    values.Add(V(checkpoint, step, $"complexity.significance.l{order}", shift + order + step + repeat, repeat));
                    if (reliability) values.Add(V(checkpoint, step, $"complexity.reliability.l{order}", shift - order + repeat, repeat));
                }
                values.Add(V(checkpoint, step, MetricNames.ComplexityLossTest, shift * 10 + step + 2 * repeat, repeat));
                values.Add(V(checkpoint, step, MetricNames.ComplexityLossTest, 99, repeat, layer: "other"));
            }
        return values;
    }

    [Fact]
    public void Default_features_are_significance_then_reliability_at_the_four_lowest_orders_numerically()
    {
        Assert.Equal(
            ["complexity.significance.l1", "complexity.significance.l4", "complexity.significance.l7", "complexity.significance.l13",
             "complexity.reliability.l1", "complexity.reliability.l4", "complexity.reliability.l7", "complexity.reliability.l13"],
            RegressionTable.DefaultFeatures(Sweep(0), "block2"));
        Assert.Empty(RegressionTable.DefaultFeatures(Sweep(0), "other"));
    }

    [Fact]
    public void Rows_are_each_sweeps_last_checkpoint_by_step_averaged_over_repeats()
    {
        var problems = new List<string>();
        var table = RegressionTable.Build([("a", Sweep(0)), ("b", Sweep(1))], "block2",
            ["complexity.significance.l4", "complexity.reliability.l13"], MetricNames.ComplexityLossTest, null, problems);
        Assert.Empty(problems);
        Assert.NotNull(table);
        Assert.Equal(["a", "b"], table.Rows.Select(r => r.Sweep));
        // "ckpt-10" (step 10) is last by step although "ckpt-9" sorts after it by name.
        Assert.All(table.Rows, r => Assert.Equal(("ckpt-10", 10L), (r.Checkpoint, r.Step)));
        // Repeats 0 and 1 average to +0.5 (+1 for the target): a: l4 = 0 + 4 + 10 + 0.5, reliability l13 = 0 − 13 + 0.5, loss = 0 + 10 + 1.
        Assert.Equal([14.5, -12.5], table.Rows[0].Features);
        Assert.Equal(11, table.Rows[0].Target);
        Assert.Equal([15.5, -11.5], table.Rows[1].Features);
        Assert.Equal(21, table.Rows[1].Target);
        Assert.Equal([11.0, 21.0], table.Y);

        var early = RegressionTable.Build([("a", Sweep(0))], "block2", ["complexity.significance.l1"], MetricNames.ComplexityLossTest, "ckpt-9", problems)!;
        Assert.Equal((9L, 10.5, 10.0), (early.Rows[0].Step, early.Rows[0].Features[0], early.Rows[0].Target));
    }

    [Fact]
    public void A_sweep_missing_a_metric_the_layer_or_the_checkpoint_is_named_with_the_fix()
    {
        var problems = new List<string>();
        var features = RegressionTable.DefaultFeatures(Sweep(0), "block2");
        Assert.Null(RegressionTable.Build([("a", Sweep(0)), ("b", Sweep(1, reliability: false))], "block2", features, MetricNames.ComplexityLossTest, null, problems));
        Assert.Equal(4, problems.Count);
        Assert.All(problems, p => Assert.StartsWith("sweep 'b' has no 'complexity.reliability.l", p));
        Assert.Contains("at layer 'block2', checkpoint 'ckpt-10': give the sweep's complexity analysis reliability peers (parameter `peers`", problems[0]);

        problems.Clear();
        Assert.Null(RegressionTable.Build([("a", Sweep(0))], "block2", ["complexity.significance.l2"], "probe.test_error", null, problems));
        Assert.Contains("sweep 'a' has no 'complexity.significance.l2' at layer 'block2', checkpoint 'ckpt-10': run the sweep with the complexity analysis", problems[0]);
        Assert.Contains("sweep 'a' has no 'probe.test_error'", problems[1]);
        Assert.Contains("complexity.loss_test", problems[1]); // the metrics it has are listed

        problems.Clear();
        Assert.Null(RegressionTable.Build([("a", Sweep(0))], "fc", features, MetricNames.ComplexityLossTest, null, problems));
        Assert.Equal("sweep 'a' has no results at layer 'fc'; its layers: block2, other: pick one of those with --layer", Assert.Single(problems));

        problems.Clear();
        Assert.Null(RegressionTable.Build([("a", Sweep(0))], "block2", features, MetricNames.ComplexityLossTest, "final", problems));
        Assert.Contains("sweep 'a' has no checkpoint 'final' at layer 'block2'; its checkpoints: ckpt-9, ckpt-10", Assert.Single(problems));
    }

    [Fact]
    public void Predictions_csv_has_each_networks_actual_value_and_leave_one_out_prediction()
    {
        // y = 1 + 2x exactly: leave-one-out predicts every network exactly.
        var rows = Enumerable.Range(0, 5).Select(i => new RegressionRow($"net{i}", "last", 100, [i * 0.5], 1 + i)).ToList();
        var table = new RegressionTable("block2", ["complexity.significance.l1"], MetricNames.ComplexityLossTest, rows);
        var report = PerformanceRegressor.Evaluate(table.X, table.Y, repeats: 10, testShare: 0.2, seed: 0);
        var writer = new StringWriter();
        RegressionOutputs.WriteCsv(writer, table, report);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("sweep,checkpoint,step,actual,loo_prediction,loo_residual,fit_prediction", lines[0]);
        Assert.Equal(6, lines.Length);
        var fields = lines[3].Split(',');
        Assert.Equal(("net2", "last", "100", 3.0), (fields[0], fields[1], fields[2], double.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(3.0, double.Parse(fields[4], System.Globalization.CultureInfo.InvariantCulture), new Tolerance(1e-9));
        Assert.Contains("leave-one-out", RegressionOutputs.Summary(table, report));
        Assert.Contains("\"protocol\": \"random-splits\"", RegressionOutputs.Json(table, report, 0.2, 0));
    }
}
