using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// The Wasserstein analysis end to end on the grid, single-label (softmax internal classifiers):
/// the untrained deep MLP of the probe paper's Fig. 3, where information about sign(x·w) is lost
/// with depth, so the W-distance to the target grows from the input to the last hidden layer.
/// </summary>
public class WassersteinSweepTests(ITestOutputHelper output)
{
    private const string Spec = """
        {
          "model": { "architecture": "mlp", "parameters": { "depth": 16, "width": 32 }, "initSeed": 11 },
          "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 16, "trainCount": 500, "validationCount": 200, "testCount": 500 }, "seed": 5 },
          "layers": ["input", "layer4", "layer16"],
          "reduction": { "kind": "flatten" },
          "analyses": [ { "kind": "wasserstein", "parameters": { "learningRate": 0.05, "batchSize": 100, "maxEpochs": 30 } } ]
        }
        """;

    [Fact]
    public async Task Every_layer_gets_its_distances_and_the_deepest_layer_the_early_exit_result()
    {
        using var temp = new TempFolder();
        await using var grid = await GridCluster.StartAsync(temp.Path);
        Assert.True((await grid.Client.SubmitAsync(SweepSpecReader.Parse(Spec), "wd", temp.Path)).Accepted);
        var status = await GridTestRun.WaitUntilAsync(grid.Client, "wd", s => s.IsFinished);
        Assert.Equal(SweepPhase.Completed, status.Phase);

        var results = await grid.Client.GetResultsAsync("wd");
        double Value(string layer, string metric) => results.Single(v => v.Layer == layer && v.Metric == metric).Value;
        foreach (var layer in new[] { "input", "layer4", "layer16" })
            output.WriteLine($"{layer,-8} W {Value(layer, MetricNames.WDistanceMean):F3}  KL {Value(layer, MetricNames.KlMean):F3}  JS {Value(layer, MetricNames.JsMean):F3}  " +
                             $"C {Value(layer, MetricNames.ChebyshevMean):F3}  acc {Value(layer, MetricNames.ClassifierAccuracy):F3}  exit {Value(layer, MetricNames.EarlyExitShare):F3}");

        // Every per-layer metric once per layer; the early-exit and baseline metrics only at the deepest layer.
        foreach (var metric in new[] { MetricNames.WDistanceMean, MetricNames.KlMean, MetricNames.JsMean, MetricNames.ChebyshevMean, MetricNames.ClassifierAccuracy, MetricNames.EarlyExitShare, MetricNames.KindsConfused })
            Assert.Equal(3, results.Count(v => v.Metric == metric));
        Assert.Equal("layer16", Assert.Single(results, v => v.Metric == MetricNames.EarlyExitAccuracy).Layer);
        Assert.Equal("layer16", Assert.Single(results, v => v.Metric == MetricNames.BaselineAccuracy).Layer);
        Assert.All(results, v => Assert.True(double.IsFinite(v.Value), $"{v.Layer} {v.Metric} = {v.Value}"));

        // Single-label with the 0/1 cost: W is the total variation 1 − μ̂(true class), at most 1; every test sample has a distribution.
        Assert.All(results.Where(v => v.Metric == MetricNames.WDistanceMean), v => Assert.InRange(v.Value, 0, 1));
        Assert.All(results.Where(v => v.Metric == MetricNames.WDistanceSamples), v => Assert.Equal(500, v.Value));
        // The label is linear in the input and random layers lose it: W grows with depth, as the probe error does.
        Assert.True(Value("input", MetricNames.WDistanceMean) + 0.1 < Value("layer16", MetricNames.WDistanceMean));
        Assert.True(Value("input", MetricNames.ClassifierAccuracy) > 0.85);
        // A classifier that learned kept a later epoch than its zero start (0 would mean uniform predictions), within those it ran.
        Assert.InRange(Value("input", MetricNames.ClassifierBestEpoch), 1, Value("input", MetricNames.ClassifierEpochs));
        // Exit shares add up to 1 over the layers, and early exit is never worse on validation than the baseline it contains.
        Assert.Equal(1.0, results.Where(v => v.Metric == MetricNames.EarlyExitShare).Sum(v => v.Value), 1e-9);
        Assert.True(Value("layer16", MetricNames.EarlyExitValAccuracy) >= 0);
        Assert.True(Value("layer16", MetricNames.EarlyExitAccuracy) >= Value("layer16", MetricNames.BaselineAccuracy) - 0.05);
    }
}
