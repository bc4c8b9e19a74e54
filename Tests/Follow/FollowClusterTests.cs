using Microsoft.Extensions.Logging;
using ProbeGrid.Client;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Cluster;
using ProbeGrid.Tests.Grid;
using Xunit.Abstractions;

using static ProbeGrid.Tests.Cluster.ClusterWaits;

namespace ProbeGrid.Tests.Follow;

/// <summary>
/// A following sweep on a cluster of two silo processes while a run is written slowly beside it, one silo SIGKILLed
/// midway: the silo that takes the sweep over goes on following from its durable state, every checkpoint is analysed
/// exactly once (the duplicate not at all), the sweep completes when the run finishes, with a single silo's numbers.
/// </summary>
public sealed class FollowClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_sweep_follows_a_run_on_two_silos_through_one_killed_and_analyses_each_checkpoint_once()
    {
        using var root = new TempFolder();
        var run = SlowTrainingRun.Begin(root.Path, index: true);
        var spec = GridTestRun.Spec(run.Folder, maxEpochs: 4) with { Follow = new FollowSpec(ThinningSpec.Every, 0, 1, 0.3) };
        using var redis = await RedisServer.StartAsync(Path.Combine(root.Path, "redis"));
        var silos = new List<SiloProcess>();
        try
        {
            for (var i = 0; i < 2; i++)
                silos.Add(SiloProcess.Start($"silo{i}", redis.ConnectionString, "follow", root.Path, root.Path, "--ProbeGrid:Sweeps:CheckpointsPerSilo=1"));
            await using var connection = await ClusterConnection.ConnectAsync(redis.ConnectionString, "follow", "follow",
                logging => logging.SetMinimumLevel(LogLevel.Warning), CancellationToken.None);
            await WaitForSilosAsync(connection, 2);
            var client = connection.Client;
            Assert.True((await RetriedAsync(() => client.SubmitAsync(spec, "live", root.Path))).Accepted);

            run.Write(0);
            run.Write(1);
            run.Write(2, weightsOf: 0); // the same bytes as step 0
            await WaitUntilAsync(client, "live", s => s.Follow?.Analysed >= 2, TimeSpan.FromMinutes(3));
            silos[1].Kill(); // whichever silo held the sweep or its units: the other goes on
            run.Write(3);
            run.Write(4);
            run.Finish();
            var final = await WaitUntilAsync(client, "live", s => s.IsFinished, TimeSpan.FromMinutes(5));

            foreach (var failure in await RetriedAsync(() => client.GetFailuresAsync("live"))) output.WriteLine($"failed: {failure}");
            Assert.Equal(SweepPhase.Completed, final.Phase);
            Assert.Equal(FollowEnd.TrainingFinished, final.Follow!.End);
            Assert.Equal((5, 4, 1), (final.Follow.Landed, final.Follow.Analysed, final.Follow.Duplicates));
            Assert.Equal(4 * GridTestRun.Taps, final.TotalUnits);
            Assert.Equal(final.TotalUnits, final.Succeeded);
            var results = await RetriedAsync(() => client.GetResultsAsync("live"));
            Assert.Equal(final.TotalUnits * MetricNames.Probe.Count, results.Length);
            Assert.Equal(results.Length, results.Select(v => (v.Checkpoint, v.Layer, v.Repeat, v.Metric)).Distinct().Count());
            Assert.DoesNotContain(results, v => v.Checkpoint == "step-0000020");

            // One in-process silo, not following, over the run once it is over: the same numbers.
            await using var single = await GridCluster.StartAsync(root.Path);
            Assert.True((await single.Client.SubmitAsync(spec with { Follow = null }, "single", root.Path)).Accepted);
            await GridTestRun.WaitUntilAsync(single.Client, "single", s => s.IsFinished, TimeSpan.FromMinutes(4));
            var reference = (await single.Client.GetResultsAsync("single")).ToDictionary(v => (v.Checkpoint, v.Layer, v.Metric));
            foreach (var value in results)
            {
                var expected = reference[(value.Checkpoint, value.Layer, value.Metric)].Value;
                Assert.True(Math.Abs(expected - value.Value) <= 1e-4 * Math.Max(1, Math.Abs(expected)),
                    $"{value.Checkpoint}/{value.Layer}/{value.Metric}: cluster {value.Value} vs single silo {expected}");
            }
        }
        catch
        {
            foreach (var silo in silos) output.WriteLine($"--- {silo.Name}{Environment.NewLine}{silo.Output}");
            throw;
        }
        finally
        {
            foreach (var silo in silos) silo.Dispose();
        }
    }



}
