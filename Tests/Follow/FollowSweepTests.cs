using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid;

namespace ProbeGrid.Tests.Follow;

/// <summary>
/// Sweeps that follow a run being written, on the in-process grid: each checkpoint analysed exactly once and never
/// half-written, duplicates caught, the end when the run finishes or the user stops, a restart in the middle survived,
/// and the results those of a sweep submitted once the run was over.
/// </summary>
public sealed class FollowSweepTests
{
    private static readonly int MetricsPerUnit = MetricNames.Probe.Count;

    private static SweepSpec Following(string folder, bool warmStart = false, ThinningSpec? thinning = null, double settleSeconds = 1) =>
        GridTestRun.Spec(folder, maxEpochs: 4, warmStart: warmStart) with { Follow = new FollowSpec(thinning ?? ThinningSpec.Every, 0, settleSeconds, 0.2) };

    [Fact]
    public async Task A_sweep_follows_a_run_through_a_restart_analysing_each_checkpoint_once_with_the_results_of_a_sweep_submitted_after_it()
    {
        using var root = new TempFolder();
        var run = SlowTrainingRun.Begin(root.Path, index: true);
        var spec = Following(run.Folder, warmStart: true);
        SweepStatus final;
        var grid = await GridCluster.StartAsync(root.Path);
        try
        {
            var submitted = await grid.Client.SubmitAsync(spec, "follow", root.Path);
            Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
            Assert.Equal(0, submitted.Status.TotalUnits); // nothing landed yet
            Assert.True(submitted.Status.Follow!.Following);

            run.Write(0);
            run.Write(1);
            run.Write(2, weightsOf: 1); // byte-identical to step 10: a duplicate
            await GridTestRun.WaitUntilAsync(grid.Client, "follow", s => s.Follow!.Analysed >= 2 && s.Follow.Landed == 3);

            // The grid goes down mid-run; the run goes on writing meanwhile.
            await grid.KillAsync();
            run.Write(3);
            grid = await GridCluster.StartAsync(root.Path);
            await grid.Client.ResumeAsync("follow");
            run.Write(4);
            run.Finish();
            final = await GridTestRun.WaitUntilAsync(grid.Client, "follow", s => s.IsFinished);

            Assert.Equal(SweepPhase.Completed, final.Phase);
            Assert.Equal(FollowEnd.TrainingFinished, final.Follow!.End);
            Assert.Equal((5, 4, 4, 1, 0), (final.Follow.Landed, final.Follow.Planned, final.Follow.Analysed, final.Follow.Duplicates, final.Follow.Backlog));
            Assert.Equal("step-0000040", final.Follow.NewestAnalysed);
            Assert.NotNull(final.Follow.MeanLag);
            Assert.Equal(4 * GridTestRun.Taps, final.TotalUnits);
            Assert.Equal(final.TotalUnits, final.Succeeded); // a half-written file read would have failed its units
            var followed = await grid.Client.GetFollowedAsync("follow");
            Assert.Equal(["step-0000000", "step-0000010", "step-0000020", "step-0000030", "step-0000040"], followed.Select(f => f.Checkpoint.Name));
            Assert.Equal("step-0000010", Assert.Single(followed, f => f.Fate == CheckpointFate.Duplicate).DuplicateOf);

            var results = await grid.Client.GetResultsAsync("follow");
            Assert.Equal(final.TotalUnits * MetricsPerUnit, results.Length);
            Assert.Equal(results.Length, results.Select(v => (v.Checkpoint, v.Layer, v.Repeat, v.Metric)).Distinct().Count());

            var newest = await grid.Client.GetNewestAnalysedAsync("follow");
            Assert.Equal("step-0000040", newest!.Checkpoint.Name);
            Assert.Equal(GridTestRun.Taps, newest.Headline.Length);
            Assert.All(newest.Headline, v => Assert.Equal(MetricNames.ProbeTestError, v.Metric));

            // The same spec, not following, once the run is over (the duplicate removed: the warm start chain is the analysed checkpoints').
            var after = Path.Combine(root.Path, "after");
            Directory.CreateDirectory(after);
            foreach (var file in Directory.EnumerateFiles(run.Folder).Where(f => !f.EndsWith("step-0000020.pt", StringComparison.Ordinal) && !f.EndsWith("index.json", StringComparison.Ordinal)))
                File.Copy(file, Path.Combine(after, Path.GetFileName(file)));
            Assert.True((await grid.Client.SubmitAsync(spec with { Follow = null, Model = spec.Model with { Checkpoints = after } }, "after", root.Path)).Accepted);
            await GridTestRun.WaitUntilAsync(grid.Client, "after", s => s.IsFinished);
            var expected = (await grid.Client.GetResultsAsync("after")).ToDictionary(v => (v.Checkpoint, v.Layer, v.Metric));
            Assert.Equal(results.Length, expected.Count);
            foreach (var value in results)
            {
                var reference = expected[(value.Checkpoint, value.Layer, value.Metric)].Value;
                Assert.True(Math.Abs(reference - value.Value) <= 1e-4 * Math.Max(1, Math.Abs(reference)),
                    $"{value.Checkpoint}/{value.Layer}/{value.Metric}: following {value.Value} vs after {reference}");
            }
        }
        finally
        {
            await grid.DisposeAsync();
        }
    }

    [Fact]
    public async Task Files_another_writer_leaves_without_an_index_are_read_only_once_settled_a_corrupt_one_fails_with_its_cause_and_stop_ends_the_sweep()
    {
        using var root = new TempFolder();
        // Chunks 400 ms apart, settle 1 s: a file being written never looks settled.
        var run = SlowTrainingRun.Begin(root.Path, index: false, chunks: 5, chunkPauseMs: 400);
        await using var grid = await GridCluster.StartAsync(root.Path);
        Assert.True((await grid.Client.SubmitAsync(Following(run.Folder), "files", root.Path)).Accepted);

        run.Write(0);
        run.Write(1);
        run.Write(2, truncateTo: 700); // stays broken: its units fail, and the sweep goes on
        run.Write(3);
        await GridTestRun.WaitUntilAsync(grid.Client, "files", s => s.Follow!.Landed == 4 && s.Follow.Analysed == 4, TimeSpan.FromMinutes(2));
        var stopped = await grid.Client.StopAsync("files");
        Assert.Equal(FollowEnd.Stopped, stopped.Follow!.End);
        var final = await GridTestRun.WaitUntilAsync(grid.Client, "files", s => s.IsFinished);

        Assert.Equal(SweepPhase.Completed, final.Phase);
        Assert.Equal(3 * GridTestRun.Taps, final.Succeeded);
        Assert.Equal(GridTestRun.Taps, final.Failed);
        var failures = await grid.Client.GetFailuresAsync("files");
        Assert.All(failures, f =>
        {
            Assert.Equal("step-0000020", f.Key.Checkpoint);
            Assert.Contains("truncated", f.Cause, StringComparison.Ordinal);
        });
        // A resubmit of the stopped sweep does not start following again, and adds nothing.
        run.Write(4);
        var again = await grid.Client.SubmitAsync(Following(run.Folder), "files", root.Path);
        Assert.True(again.Accepted, string.Join("; ", again.Problems));
        await Task.Delay(1500);
        var status = await grid.Client.GetStatusAsync("files");
        Assert.Equal(4, status.Follow!.Landed);
        Assert.Equal(FollowEnd.Stopped, status.Follow.End);
    }

    [Fact]
    public async Task A_step_interval_analyses_the_checkpoints_it_picks_and_the_runs_last_one()
    {
        using var root = new TempFolder();
        var run = SlowTrainingRun.Begin(root.Path, index: true, chunks: 1, chunkPauseMs: 0);
        await using var grid = await GridCluster.StartAsync(root.Path);
        Assert.True((await grid.Client.SubmitAsync(Following(run.Folder, thinning: new ThinningSpec(ThinningSpec.StepsKind, 25)), "thin", root.Path)).Accepted);
        // A program watching the curves grow, through the SDK.
        var watched = new List<AnalysedCheckpoint>();
        var watching = Task.Run(async () =>
        {
            await foreach (var analysed in grid.Client.WatchCheckpointsAsync("thin", TimeSpan.FromMilliseconds(100))) watched.Add(analysed);
        });
        for (var i = 0; i < 6; i++) run.Write(i); // steps 0..50 by 10
        run.Finish();
        var final = await GridTestRun.WaitUntilAsync(grid.Client, "thin", s => s.IsFinished);
        await watching;
        Assert.Equal("step-0000050", watched[^1].Checkpoint.Name);
        Assert.Equal(watched.Select(a => a.Checkpoint.Step).Order(), watched.Select(a => a.Checkpoint.Step)); // in training order, each once
        Assert.Equal(watched.Count, watched.Select(a => a.Checkpoint.Name).Distinct().Count());
        Assert.All(watched, a => Assert.Equal(GridTestRun.Taps, a.Headline.Length));

        var followed = await grid.Client.GetFollowedAsync("thin");
        // 0, then 30 (the first at least 25 steps on), then 50: the run's last, analysed though the interval left it out.
        Assert.Equal([0L, 30, 50], followed.Where(f => f.Fate == CheckpointFate.Planned).Select(f => f.Checkpoint.Step));
        Assert.Equal([10L, 20, 40], followed.Where(f => f.Fate == CheckpointFate.Skipped).Select(f => f.Checkpoint.Step));
        Assert.Equal(3 * GridTestRun.Taps, final.Succeeded);
        Assert.Equal(["step-0000000", "step-0000030", "step-0000050"],
            (await grid.Client.GetResultsAsync("thin")).Select(v => v.Checkpoint).Distinct().Order(StringComparer.Ordinal));
    }
}
