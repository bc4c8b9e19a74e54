using System.Collections.Immutable;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// One NaN in a checkpoint fails only the units of the taps it reaches: the taps below it get the numbers
/// the clean checkpoint gives (their activations are the same, and each layer's classifier is trained as if
/// alone), and the failed units name the tap, the sample and the parameter.
/// </summary>
public sealed class NonFiniteSweepTests
{
    /// <summary>A clean folder and a copy whose one checkpoint has NaN in layer3's weight (hidden.2.weight, element 5).</summary>
    private static (string Clean, string Poisoned) CleanAndPoisoned(string root)
    {
        var clean = GridTestRun.WriteCheckpoints(root, 1);
        var poisoned = Path.Combine(root, "run-nan");
        Directory.CreateDirectory(poisoned);
        foreach (var file in Directory.GetFiles(clean)) File.Copy(file, Path.Combine(poisoned, Path.GetFileName(file)));
        GridTestRun.PutNaN(Path.Combine(poisoned, "step-0000000.pt"), "hidden.2.weight", 5);
        return (clean, poisoned);
    }

    private static async Task<(ImmutableArray<MetricValue> Results, ImmutableArray<UnitFailure> Failures, SweepStatus Status)> RunAsync(GridCluster grid, SweepSpec spec, string id, string root)
    {
        var submitted = await grid.Client.SubmitAsync(spec, id, root);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        var status = await GridTestRun.WaitUntilAsync(grid.Client, id, s => s.IsFinished);
        return (await grid.Client.GetResultsAsync(id), await grid.Client.GetFailuresAsync(id), status);
    }

    private static void AssertFailedNamingTheCause(ImmutableArray<UnitFailure> failures)
    {
        Assert.Equal(["layer3", "logits"], failures.Select(f => f.Key.Layer).Order());
        var layer3 = failures.Single(f => f.Key.Layer == "layer3").Cause;
        Assert.Contains("tap 'layer3' produced NaN at train sample 0; the checkpoint's parameter hidden.2.weight holds NaN (element 5)", layer3);
        Assert.Contains("tap 'logits' produced NaN at train sample 0; the checkpoint's parameter hidden.2.weight holds NaN (element 5)",
            failures.Single(f => f.Key.Layer == "logits").Cause);
    }

    [Fact]
    public async Task Probes_of_the_taps_below_a_NaN_weight_succeed_with_the_clean_checkpoints_numbers()
    {
        using var root = new TempFolder();
        var (clean, poisoned) = CleanAndPoisoned(root.Path);
        await using var grid = await GridCluster.StartAsync(root.Path);

        var reference = await RunAsync(grid, GridTestRun.Spec(clean), "clean", root.Path);
        var nan = await RunAsync(grid, GridTestRun.Spec(poisoned), "nan", root.Path);

        Assert.Equal(GridTestRun.Taps, reference.Status.Succeeded);
        Assert.Equal((3, 2), (nan.Status.Succeeded, nan.Status.Failed));
        AssertFailedNamingTheCause(nan.Failures);
        foreach (var layer in new[] { "input", "layer1", "layer2" })
            foreach (var metric in MetricNames.Probe)
                Assert.Equal(
                    reference.Results.Single(v => v.Layer == layer && v.Metric == metric).Value,
                    nan.Results.Single(v => v.Layer == layer && v.Metric == metric).Value);
        Assert.DoesNotContain(nan.Results, v => v.Layer is "layer3" or "logits");
    }

    [Fact]
    public async Task Wasserstein_leaves_the_non_finite_layers_out_of_the_comparison_and_fails_only_their_units()
    {
        using var root = new TempFolder();
        var (clean, poisoned) = CleanAndPoisoned(root.Path);
        await using var grid = await GridCluster.StartAsync(root.Path);
        SweepSpec Spec(string checkpoints) => GridTestRun.Spec(checkpoints) with
        {
            Analyses = [new AnalysisSpec("wasserstein", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["maxEpochs"] = "8", ["batchSize"] = "100", ["learningRate"] = "0.05",
            }))],
        };

        var reference = await RunAsync(grid, Spec(clean), "wd-clean", root.Path);
        var nan = await RunAsync(grid, Spec(poisoned), "wd-nan", root.Path);

        Assert.Equal(GridTestRun.Taps, reference.Status.Succeeded);
        Assert.Equal((3, 2), (nan.Status.Succeeded, nan.Status.Failed));
        AssertFailedNamingTheCause(nan.Failures);
        // What a layer's own classifier and distances give does not depend on the other layers.
        foreach (var layer in new[] { "input", "layer1", "layer2" })
            foreach (var metric in new[] { MetricNames.WDistanceMean, MetricNames.KlMean, MetricNames.ClassifierAccuracy, MetricNames.ClassifierTestLoss })
                Assert.Equal(
                    reference.Results.Single(v => v.Layer == layer && v.Metric == metric).Value,
                    nan.Results.Single(v => v.Layer == layer && v.Metric == metric).Value);
        // Early exit compares the finite layers: its result goes with the deepest of them, and every value is finite.
        Assert.Equal("logits", Assert.Single(reference.Results, v => v.Metric == MetricNames.EarlyExitAccuracy).Layer);
        Assert.Equal("layer2", Assert.Single(nan.Results, v => v.Metric == MetricNames.EarlyExitAccuracy).Layer);
        Assert.Equal(1.0, nan.Results.Where(v => v.Metric == MetricNames.EarlyExitShare).Sum(v => v.Value), 1e-9);
        Assert.All(nan.Results, v => Assert.True(double.IsFinite(v.Value), $"{v.Layer} {v.Metric} = {v.Value}"));
    }
}
