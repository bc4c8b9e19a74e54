using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Grid;

/// <summary>Where units run, in a two-silo test cluster.</summary>
public sealed class PlacementTests
{
    private static readonly string[] Taps = ["input", "layer1", "layer2", "layer3", "logits"];

    [Fact]
    public async Task A_checkpoints_units_run_on_one_silo_and_checkpoints_spread_over_the_silos()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, 6);
        await using var grid = await GridCluster.StartAsync(root.Path, silos: 2);
        Assert.True((await grid.Client.SubmitAsync(GridTestRun.Spec(checkpoints), "spread", root.Path)).Accepted);
        await GridTestRun.WaitUntilAsync(grid.Client, "spread", s => s.IsFinished);

        var silosByCheckpoint = await SilosOfUnits(grid, "spread", 6);
        Assert.All(silosByCheckpoint, silos => Assert.Single(silos.Distinct()));
        Assert.Equal(2, silosByCheckpoint.Select(s => s[0]).Distinct().Count());
    }

    [Fact]
    public async Task Units_that_need_a_GPU_never_run_on_a_silo_without_one()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, 4);
        await using var grid = await GridCluster.StartAsync(root.Path, silos: 2, gpuSilo: "Secondary_1");
        var spec = GridTestRun.Spec(checkpoints) with { Resources = new GrainsInterfaces.Specs.ResourceSpec("cuda", 256) };
        Assert.True((await grid.Client.SubmitAsync(spec, "gpu", root.Path)).Accepted);
        await GridTestRun.WaitUntilAsync(grid.Client, "gpu", s => s.IsFinished);

        var gpuSilo = grid.SiloIdentities["Secondary_1"];
        Assert.All((await SilosOfUnits(grid, "gpu", 4)).SelectMany(s => s), silo => Assert.Equal(gpuSilo, silo));

        // Cluster status shows the same: the GPU silo advertises one GPU and did all 20 units.
        var status = (await grid.Client.GetClusterStatusAsync()).ToDictionary(s => s.Silo);
        Assert.Equal(2, status.Count);
        Assert.Equal("1", status[gpuSilo].Capabilities[Grains.Placement.SiloCapabilities.GpuCount]);
        Assert.Equal(20, status[gpuSilo].UnitsDone);
        Assert.Equal(0, status[grid.SiloIdentities["Primary"]].UnitsDone);
        Assert.All(status.Values, s => Assert.Equal(0, s.UnitsRunning));
    }

    private static async Task<List<string[]>> SilosOfUnits(GridCluster grid, string sweepId, int checkpoints)
    {
        var result = new List<string[]>();
        for (var c = 0; c < checkpoints; c++)
        {
            var outcomes = await Task.WhenAll(Taps.Select(t => grid.Grains.GetGrain<ILayerAnalysisGrain>(
                GrainKeys.Unit(sweepId, new UnitKey(GridTestRun.CheckpointName(c), t, ProbeAnalysis.Kind, 0))).GetOutcome()));
            result.Add(outcomes.Select(o => o!.Silo).ToArray());
        }
        return result;
    }
}
