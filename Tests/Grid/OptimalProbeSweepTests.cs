using System.Collections.Immutable;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Models;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Checkpoints;
using TorchSharp;

namespace ProbeGrid.Tests.Grid;

/// <summary>Probes solved to their optimum (optimizer "optimal") on the grid: the solver's numbers, converged, and a warm start that changes nothing but the iterations.</summary>
public sealed class OptimalProbeSweepTests
{
    [Fact]
    public async Task An_optimal_probe_sweep_reports_the_solvers_optimum_and_a_warm_start_reaches_the_same_one()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, 2);
        SweepSpec Spec(bool warmStart) => GridTestRun.Spec(checkpoints) with
        {
            Analyses = [new AnalysisSpec("probe", ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["optimizer"] = "optimal", ["l2Grid"] = "1e-4,1e-2,1", ["warmStart"] = warmStart ? "true" : "false",
            }))],
        };
        await using var grid = await GridCluster.StartAsync(root.Path);
        foreach (var (id, warmStart) in new[] { ("cold", false), ("warm", true) })
        {
            Assert.True((await grid.Client.SubmitAsync(Spec(warmStart), id, root.Path)).Accepted);
            var status = await GridTestRun.WaitUntilAsync(grid.Client, id, s => s.IsFinished);
            Assert.Equal(status.TotalUnits, status.Succeeded);
        }
        var cold = (await grid.Client.GetResultsAsync("cold")).ToDictionary(v => (v.Checkpoint, v.Layer, v.Metric), v => v.Value);
        var warm = (await grid.Client.GetResultsAsync("warm")).ToDictionary(v => (v.Checkpoint, v.Layer, v.Metric), v => v.Value);
        Assert.Equal(2 * GridTestRun.Taps * MetricNames.OptimalProbe.Count, cold.Count);

        // The grid's numbers are the solver's on the same activations, computed here without the grid.
        var plan = new Grains.Planning.SweepPlanner(new Grains.Planning.DataRoots([root.Path]), root.Path).Plan(Spec(false), "direct");
        var settings = (Grains.Analyses.ProbeSettings)plan.Settings[0];
        var activations = new ActivationJob(new DatasetProvider(), new ActivationCache(Path.Combine(root.Path, "direct-cache")))
            .Run(JobInputs.Of(plan.WorkFor(0, 0, plan.Layers), ModelCatalog.BuiltIn), plan.Layers, torch.CPU, CancellationToken.None);
        var first = plan.Checkpoints[0].Name;
        foreach (var layer in plan.Layers)
        {
            var solved = ConvexProbeSolver.Solve(activations.Layers[layer.Name], activations.TrainTargets, activations.ValidationTargets, activations.TestTargets,
                activations.ClassCount, settings.OptimumOrDefault);
            Assert.Equal(solved.TestError, cold[(first, layer.Name, MetricNames.ProbeTestError)], 12);
            Assert.Equal(solved.Objective, cold[(first, layer.Name, MetricNames.ProbeObjective)], 12);
            Assert.Equal(solved.L2, cold[(first, layer.Name, MetricNames.ProbeL2)]);
        }

        foreach (var checkpoint in plan.Checkpoints)
            foreach (var layer in plan.Layers)
            {
                Assert.Equal(1, cold[(checkpoint.Name, layer.Name, MetricNames.ProbeConverged)]);
                Assert.Equal(checkpoint == plan.Checkpoints[0] ? 0 : 1, warm[(checkpoint.Name, layer.Name, MetricNames.ProbeWarmStarted)]);
                // One optimum: starting elsewhere changes the path, not where it ends (a gradient within 1e-5 leaves the objective within about 1e-7).
                Assert.Equal(cold[(checkpoint.Name, layer.Name, MetricNames.ProbeObjective)], warm[(checkpoint.Name, layer.Name, MetricNames.ProbeObjective)], 6);
                Assert.Equal(cold[(checkpoint.Name, layer.Name, MetricNames.ProbeTestError)], warm[(checkpoint.Name, layer.Name, MetricNames.ProbeTestError)]);
            }
    }
}
