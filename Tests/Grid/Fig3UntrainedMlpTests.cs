using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// Alain &amp; Bengio (2016), Fig. 3, end to end on the grid: in an untrained deep
/// leaky-ReLU MLP fed x ~ N(0, I) with labels sign(x·w), a linear probe decodes the label almost
/// perfectly from the input and worse and worse deeper in the network.
/// </summary>
public class Fig3UntrainedMlpTests(ITestOutputHelper output)
{
    private const int Repeats = 2;

    /// <summary>
    /// The paper's network shrunk to run in seconds: 16 layers of 32 units, LeakyReLU(0.5) and
    /// Glorot-normal init (the zoo's defaults), 16-dimensional inputs. Five taps, listed out of order.
    /// </summary>
    private const string Spec = """
        {
          "model": { "architecture": "mlp", "parameters": { "depth": 16, "width": 32 }, "initSeed": 11 },
          "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 16, "trainCount": 500, "validationCount": 200, "testCount": 500 }, "seed": 5 },
          "layers": ["layer16", "input", "layer8", "layer4", "layer12"],
          "reduction": { "kind": "flatten" },
          "analyses": [ { "kind": "probe", "parameters": { "optimizer": "rmsprop", "learningRate": 0.02, "batchSize": 100, "maxEpochs": 15, "patience": 5 } } ],
          "repeats": 2
        }
        """;

    [Fact]
    public async Task Probe_error_is_low_at_the_input_and_clearly_higher_at_the_last_hidden_layer()
    {
        using var temp = new TempFolder();
        await using var grid = await GridCluster.StartAsync(temp.Path);
        Assert.True((await grid.Client.SubmitAsync(SweepSpecReader.Parse(Spec), "fig3", temp.Path)).Accepted);
        var status = await GridTestRun.WaitUntilAsync(grid.Client, "fig3", s => s.IsFinished);
        Assert.Equal(SweepPhase.Completed, status.Phase);

        var results = await grid.Client.GetResultsAsync("fig3");
        var testErrors = results.Where(v => v.Metric == MetricNames.ProbeTestError).ToList();
        // One test error per (layer, repeat), and every probe metric beside each.
        Assert.Equal(5 * Repeats, testErrors.Count);
        Assert.Equal(5 * Repeats, testErrors.Select(v => (v.Layer, v.Repeat)).Distinct().Count());
        Assert.Equal(MetricNames.Probe.Count * testErrors.Count, results.Length);
        Assert.All(results, v => Assert.Equal(("untrained", 0L), (v.Checkpoint, v.Step)));

        var curve = CurveBuilder.Build(results, MetricNames.ProbeTestError, CurveAxis.Layer);
        var points = Assert.Single(curve.Series).Points;
        foreach (var p in points) output.WriteLine($"{p.Label,-8} {p.Mean:F3} ± {p.StdDev:F3} (n={p.Count})");
        Assert.Equal([0.0, 4, 8, 12, 16], points.Select(p => p.X));
        Assert.All(points, p => Assert.Equal(Repeats, p.Count));

        // A linear probe reads sign(x·w) off the raw input (the label is a linear function of it)...
        var input = testErrors.Where(v => v.Layer == "input").Select(v => v.Value).ToList();
        Assert.All(input, e => Assert.True(e < 0.15, $"input test error {e}"));
        // ...and far less well after 16 random leaky-ReLU layers (seen at 0.34-0.45 over several seeds; input 0.02-0.05).
        var last = testErrors.Where(v => v.Layer == "layer16").Select(v => v.Value).ToList();
        Assert.All(last, e => Assert.True(e > input.Max() + 0.1, $"layer16 test error {e} vs input {input.Max()}"));
        Assert.True(points[2].Mean > points[0].Mean + 0.1, $"layer8 {points[2].Mean} vs input {points[0].Mean}");
    }
}
