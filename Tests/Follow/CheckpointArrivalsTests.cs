using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid;

namespace ProbeGrid.Tests.Follow;

/// <summary>
/// A following sweep reads a checkpoint only when it is whole: listed in index.json, or (other writers) unchanged in
/// size and modification time for the settle period with a header that parses.
/// </summary>
public sealed class CheckpointArrivalsTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_file_being_written_in_chunks_is_never_whole_and_is_once_it_has_not_changed_for_the_settle_period()
    {
        using var root = new TempFolder();
        var bytes = CheckpointBytes(root.Path);
        var path = Path.Combine(root.Path, "step-0000100.pt");
        var arrivals = new CheckpointArrivals(Settle);
        var found = new DiscoveredCheckpoint(path, 100, DateTime.UtcNow, null);
        var now = DateTime.UtcNow;

        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
        {
            for (var offset = 0; offset < bytes.Length; offset += 1000)
            {
                stream.Write(bytes, offset, Math.Min(1000, bytes.Length - offset));
                stream.Flush();
                // However long since the last look, a file that grows is not whole.
                now += TimeSpan.FromMinutes(1);
                File.SetLastWriteTimeUtc(path, now);
                Assert.Empty(arrivals.Sort([found], now).Whole);
            }
        }
        // Complete, but not yet unchanged for the settle period; then whole.
        Assert.Equal(1, arrivals.Sort([found], now + Settle / 2).Waiting);
        Assert.Equal([found], arrivals.Sort([found], now + Settle).Whole);
    }

    [Fact]
    public void A_file_last_written_longer_ago_than_the_settle_period_is_whole_at_the_first_look()
    {
        using var root = new TempFolder();
        var path = Path.Combine(root.Path, "step-0000100.pt");
        File.WriteAllBytes(path, CheckpointBytes(root.Path));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - 2 * Settle);
        var found = new DiscoveredCheckpoint(path, 100, DateTime.UtcNow, null);
        Assert.Equal([found], new CheckpointArrivals(Settle).Sort([found], DateTime.UtcNow).Whole);
    }

    [Fact]
    public void A_checkpoint_listed_in_index_json_is_whole_at_once()
    {
        using var root = new TempFolder();
        var path = Path.Combine(root.Path, "step-0000100.pt");
        File.WriteAllBytes(path, CheckpointBytes(root.Path));
        var recorded = new DiscoveredCheckpoint(path, 100, DateTime.UtcNow, null) { Recorded = true };
        Assert.Equal([recorded], new CheckpointArrivals(Settle).Sort([recorded], DateTime.UtcNow).Whole);
    }

    [Fact]
    public void A_stable_file_whose_header_does_not_parse_gets_one_more_settle_period_then_is_let_through_to_fail_with_its_cause()
    {
        using var root = new TempFolder();
        var path = Path.Combine(root.Path, "step-0000100.pt");
        var bytes = CheckpointBytes(root.Path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]); // truncated: the header says more data follows
        var written = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(path, written);
        var found = new DiscoveredCheckpoint(path, 100, written, null);
        var arrivals = new CheckpointArrivals(Settle);

        Assert.Empty(arrivals.Sort([found], written + Settle).Whole); // stable, but unreadable: a writer that paused?
        Assert.Empty(arrivals.Sort([found], written + Settle * 1.5).Whole);
        Assert.Equal([found], arrivals.Sort([found], written + Settle * 2).Whole);
        Assert.Throws<CheckpointException>(() => CheckpointFile.CheckReadable(path)); // its units will say why
    }

    [Fact]
    public void A_finished_mark_is_written_by_MarkFinished_and_dropped_when_the_run_appends_again()
    {
        using var root = new TempFolder();
        CheckpointIndex.Append(root.Path, new CheckpointIndexEntry(0, "step-0000000.pt", DateTime.UtcNow, null));
        Assert.False(CheckpointIndex.TryLoad(root.Path)!.Finished);
        Assert.DoesNotContain("finished", File.ReadAllText(CheckpointIndex.PathIn(root.Path)));

        CheckpointIndex.MarkFinished(root.Path, new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var finished = CheckpointIndex.TryLoad(root.Path)!;
        Assert.True(finished.Finished);
        Assert.Equal(new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc), finished.FinishedAt);
        Assert.Single(finished.Entries);

        CheckpointIndex.Append(root.Path, new CheckpointIndexEntry(10, "step-0000010.pt", DateTime.UtcNow, 0.5));
        Assert.False(CheckpointIndex.TryLoad(root.Path)!.Finished);
    }

    /// <summary>The bytes of one of <see cref="GridTestRun"/>'s checkpoints.</summary>
    private static byte[] CheckpointBytes(string root)
    {
        var folder = GridTestRun.WriteCheckpoints(Path.Combine(root, "source"), 1);
        return File.ReadAllBytes(Path.Combine(folder, GridTestRun.CheckpointName(0) + ".pt"));
    }
}
