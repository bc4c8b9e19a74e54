using System.Collections.Immutable;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Models;
using ProbeGrid.Tests.Zoo;
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
                // separate float32 forward passes: equal to float32 precision (MKL may round differently between passes)
                Assert.Equal(MeanSquareRunner.MeanSquare(direct.Layers[layer.Name].Test, 50), results.Single(v => v.Checkpoint == checkpoint.Name && v.Layer == layer.Name).Value, 6);
        }
    }

    [Fact]
    public async Task An_architecture_registered_with_the_silo_is_planned_and_built_there()
    {
        using var root = new TempFolder();
        var model = new ModelSpec(TwoLayerArchitecture.ArchitectureName, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("hidden", "6")]), null, 3);
        var spec = GridTestRun.Spec("unused") with { Model = model, Analyses = [MeanSquare(("samples", "40"))] };
        await using var grid = await GridCluster.StartAsync(root.Path, extraAnalysis: typeof(MeanSquareAnalysis), extraArchitecture: typeof(TwoLayerArchitecture));

        var submitted = await grid.Client.SubmitAsync(spec, "two-layer", root.Path);
        Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        var status = await GridTestRun.WaitUntilAsync(grid.Client, "two-layer", s => s.IsFinished);
        Assert.Equal(status.TotalUnits, status.Succeeded);
        var results = await grid.Client.GetResultsAsync("two-layer", MeanSquareAnalysis.Metric);
        Assert.Equal(["input", "hidden", "logits"], results.OrderBy(v => v.LayerIndex).Select(v => v.Layer));

        // The same network built here from a catalog that has it: the same seeded weights, the same numbers.
        var models = new ModelCatalog(new Analysis.Zoo.ArchitectureRegistry([.. Analysis.Zoo.ArchitectureRegistry.BuiltInArchitectures(), new TwoLayerArchitecture()]),
            Analysis.Data.DatasetRegistry.BuiltIn);
        var plan = new Grains.Planning.SweepPlanner(new Grains.Planning.DataRoots([root.Path]), root.Path,
            new Grains.Analyses.AnalysisRegistry([.. Grains.Analyses.AnalysisRegistration.BuiltIn(), new MeanSquareAnalysis()]), models).Plan(spec, "direct");
        var inputs = new JobInputs(plan.Architecture, plan.ModelParameters, 3, plan.Checkpoints[0], plan.Spec.Dataset, 0, plan.Spec.Reduction, 64) { Models = models };
        var direct = new ActivationJob(new DatasetProvider(models: models), new Analysis.Activations.ActivationCache(Path.Combine(root.Path, "direct-cache")))
            .Run(inputs, plan.Layers, torch.CPU, CancellationToken.None);
        foreach (var value in results)
            Assert.Equal(MeanSquareRunner.MeanSquare(direct.Layers[value.Layer].Test, 40), value.Value, 6);

    }

    [Fact]
    public async Task A_grid_without_the_analysis_or_the_architecture_refuses_them_by_name()
    {
        using var root = new TempFolder();
        var spec = GridTestRun.Spec(GridTestRun.WriteCheckpoints(root.Path, 1)) with { Analyses = [MeanSquare(("samples", "5"))] };
        await using var grid = await GridCluster.StartAsync(root.Path);

        var refused = await grid.Client.SubmitAsync(spec, "unknown", root.Path);

        Assert.False(refused.Accepted);
        Assert.Contains(refused.Problems, p => p.StartsWith("analyses[0].kind 'mean-square' is not an analysis ProbeGrid runs: use probe, wasserstein, complexity, discarding, cka, synthetic", StringComparison.Ordinal));
        var twoLayer = spec with { Model = new ModelSpec(TwoLayerArchitecture.ArchitectureName, ImmutableSortedDictionary<string, string>.Empty, null, 0), Analyses = [GridTestRun.Spec("").Analyses[0]] };
        var unknown = await grid.Client.SubmitAsync(twoLayer, "unknown-architecture", root.Path);
        Assert.Contains(unknown.Problems, p => p.Contains("unknown architecture 'two-layer'; known: mlp, mnist-convnet", StringComparison.Ordinal));
    }

    private static AnalysisSpec MeanSquare(params (string Name, string Value)[] parameters) =>
        new(MeanSquareAnalysis.Kind, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))));
}
