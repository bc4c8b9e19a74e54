using System.Collections.Immutable;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid.MeanSquare;
using TorchSharp;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// An analysis written outside the grid's code (Tests/Grid/MeanSquare/: settings, analysis, runner) and registered with
/// one <c>AddAnalysis&lt;T&gt;</c> call runs on the grid: planned, its settings carried to the silo typed, its units computed.
/// </summary>
public sealed class CustomAnalysisTests
{
    [Fact]
    public async Task A_registered_analysis_of_ones_own_runs_on_the_grid_and_a_lost_shard_silo_is_not_the_units_failure()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, 2);
        var spec = GridTestRun.Spec(checkpoints) with { Analyses = [MeanSquare(("samples", "50"), ("loseShardSilos", "true"))] };
        await using var grid = await GridCluster.StartAsync(root.Path, extraAnalysis: typeof(MeanSquareAnalysis));

        var refused = await grid.Client.SubmitAsync(spec with { Analyses = [MeanSquare(("samples", "none"))] }, "bad", root.Path);
        Assert.Equal("analyses[0].parameters.samples must be a whole number of at least 1", Assert.Single(refused.Problems));
        var submitted = await grid.Client.SubmitAsync(spec, "mine", root.Path);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        var status = await GridTestRun.WaitUntilAsync(grid.Client, "mine", s => s.IsFinished);

        // Every unit's first run lost its "shards": handed back and run again, none recorded as failed.
        Assert.Equal(status.TotalUnits, status.Succeeded);
        Assert.Empty(await grid.Client.GetFailuresAsync("mine"));
        var results = await grid.Client.GetResultsAsync("mine", MeanSquareAnalysis.Metric);
        Assert.Equal(2 * GridTestRun.Taps, results.Length);

        var plan = new Grains.Planning.SweepPlanner(new Grains.Planning.DataRoots([root.Path]), root.Path).Plan(GridTestRun.Spec(checkpoints), "direct");
        var activations = new ActivationJob(new DatasetProvider(), new Analysis.Activations.ActivationCache(Path.Combine(root.Path, "direct-cache")));
        foreach (var checkpoint in plan.Checkpoints)
        {
            var inputs = new JobInputs(plan.Architecture, plan.ModelParameters, 0, checkpoint, plan.Spec.Dataset, 0, plan.Spec.Reduction, plan.Spec.Resources.BatchSize);
            var direct = activations.Run(inputs, plan.Layers, torch.CPU, CancellationToken.None);
            foreach (var layer in plan.Layers)
                Assert.Equal(MeanSquareRunner.MeanSquare(direct.Layers[layer.Name].Test, 50), results.Single(v => v.Checkpoint == checkpoint.Name && v.Layer == layer.Name).Value, 12);
        }
    }

    [Fact]
    public async Task A_grid_without_the_analysis_refuses_its_kind_by_name()
    {
        using var root = new TempFolder();
        var spec = GridTestRun.Spec(GridTestRun.WriteCheckpoints(root.Path, 1)) with { Analyses = [MeanSquare(("samples", "5"))] };
        await using var grid = await GridCluster.StartAsync(root.Path);

        var refused = await grid.Client.SubmitAsync(spec, "unknown", root.Path);

        Assert.False(refused.Accepted);
        Assert.Contains(refused.Problems, p => p.StartsWith("analyses[0].kind 'mean-square' is not an analysis ProbeGrid runs: use probe, wasserstein, complexity, discarding, cka, synthetic", StringComparison.Ordinal));
    }

    private static AnalysisSpec MeanSquare(params (string Name, string Value)[] parameters) =>
        new(MeanSquareAnalysis.Kind, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))));
}
