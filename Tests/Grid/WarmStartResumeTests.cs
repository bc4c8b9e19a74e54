using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// A warm-started sweep reads the previous checkpoint's probes from the units' storage, never from a
/// grain's memory: killed again and again, it ends with the numbers of a run that never stopped.
/// </summary>
public sealed class WarmStartResumeTests
{
    private const int Checkpoints = 4;

    [Fact]
    public async Task A_warm_started_sweep_killed_after_each_checkpoint_equals_an_uninterrupted_run_bit_for_bit()
    {
        using var root = new TempFolder();
        var checkpoints = GridTestRun.WriteCheckpoints(root.Path, Checkpoints);
        var spec = GridTestRun.Spec(checkpoints, maxEpochs: 30, warmStart: true);

        IReadOnlyDictionary<(string, string, string), double> reference;
        await using (var grid = await GridCluster.StartAsync(root.Path))
        {
            Assert.True((await grid.Client.SubmitAsync(spec, "uninterrupted", root.Path)).Accepted);
            await GridTestRun.WaitUntilAsync(grid.Client, "uninterrupted", s => s.IsFinished);
            reference = (await grid.Client.GetResultsAsync("uninterrupted")).ToDictionary(v => (v.Checkpoint, v.Layer, v.Metric), v => v.Value);
        }

        // Killed as soon as each checkpoint is stored: the next one starts after a restart, its warm start read back.
        var kills = 0;
        for (var done = 1; done < Checkpoints; done++)
        {
            var grid = await GridCluster.StartAsync(root.Path);
            Assert.True((await grid.Client.SubmitAsync(spec, "killed", root.Path)).Accepted);
            var status = await GridTestRun.WaitUntilAsync(grid.Client, "killed", s => s.Succeeded >= done * GridTestRun.Taps);
            await grid.KillAsync();
            kills++;
            if (status.IsFinished) break;
        }
        await using (var grid = await GridCluster.StartAsync(root.Path))
        {
            Assert.True((await grid.Client.SubmitAsync(spec, "killed", root.Path)).Accepted);
            var final = await GridTestRun.WaitUntilAsync(grid.Client, "killed", s => s.IsFinished);
            Assert.Equal(final.TotalUnits, final.Succeeded);
            var results = await grid.Client.GetResultsAsync("killed");

            Assert.True(kills >= 2, $"only {kills} kill(s) landed before the sweep finished");
            Assert.Equal(reference.Count, results.Length);
            foreach (var value in results)
                Assert.True(reference[(value.Checkpoint, value.Layer, value.Metric)] == value.Value,
                    $"{value.Checkpoint}/{value.Layer}/{value.Metric}: {value.Value} after kills, {reference[(value.Checkpoint, value.Layer, value.Metric)]} uninterrupted");
            // Every checkpoint after the first started from its predecessor's probes.
            Assert.All(results.Where(v => v.Metric == MetricNames.ProbeWarmStarted && v.Checkpoint != GridTestRun.CheckpointName(0)), v => Assert.Equal(1, v.Value));
        }
    }
}
