using ProbeGrid.Grains.Sweeps;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Tests.Follow;

/// <summary>The thinning policies of a following sweep pick the checkpoints they say they pick; duplicates are caught whatever the policy.</summary>
public sealed class CheckpointSelectionTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Checkpoint i: step 100·i, landed i·10 minutes after the start, content "h{i}".</summary>
    private static (CheckpointRef Checkpoint, DateTime LandedAt) Landing(int i, string? content = null) =>
        (new CheckpointRef($"step-{100 * i}", 100 * i, $"/runs/a/step-{100 * i}.pt", content ?? $"h{i}"), Start.AddMinutes(10 * i));

    private static List<FollowedCheckpoint> Land(ThinningSpec thinning, IEnumerable<(CheckpointRef Checkpoint, DateTime LandedAt)> landings)
    {
        var landed = new List<FollowedCheckpoint>();
        foreach (var (checkpoint, at) in landings) landed.Add(CheckpointSelection.Arrive(thinning, landed, checkpoint, at));
        return landed;
    }

    private static IEnumerable<long> Steps(IEnumerable<FollowedCheckpoint> landed, CheckpointFate fate) =>
        landed.Where(f => f.Fate == fate).Select(f => f.Checkpoint.Step);

    [Fact]
    public void Every_plans_each_checkpoint_that_lands()
    {
        var landed = Land(ThinningSpec.Every, Enumerable.Range(0, 6).Select(i => Landing(i)));
        Assert.Equal([0L, 100, 200, 300, 400, 500], Steps(landed, CheckpointFate.Planned));
    }

    [Fact]
    public void Steps_plans_at_most_one_checkpoint_per_interval_of_steps_counted_from_the_last_planned()
    {
        // Steps 0..900 by 100, interval 250: 0, 300 (first >= 250), 600, 900.
        var landed = Land(new ThinningSpec(ThinningSpec.StepsKind, 250), Enumerable.Range(0, 10).Select(i => Landing(i)));
        Assert.Equal([0L, 300, 600, 900], Steps(landed, CheckpointFate.Planned));
        Assert.Equal([100L, 200, 400, 500, 700, 800], Steps(landed, CheckpointFate.Skipped));
    }

    [Fact]
    public void Minutes_plans_at_most_one_checkpoint_per_interval_of_training_time()
    {
        // Landed every 10 minutes, interval 25 minutes: minutes 0, 30, 60 -> steps 0, 300, 600.
        var landed = Land(new ThinningSpec(ThinningSpec.MinutesKind, 25), Enumerable.Range(0, 8).Select(i => Landing(i)));
        Assert.Equal([0L, 300, 600], Steps(landed, CheckpointFate.Planned));
    }

    [Fact]
    public void An_interval_policy_still_analyses_the_runs_last_checkpoint_when_training_finishes_but_not_when_the_user_stops()
    {
        var landed = Land(new ThinningSpec(ThinningSpec.StepsKind, 250), Enumerable.Range(0, 9).Select(i => Landing(i)));
        Assert.Equal([0L, 300, 600], Steps(landed, CheckpointFate.Planned)); // 800 is the last, skipped so far
        var atEnd = CheckpointSelection.AtEnd(landed, FollowEnd.TrainingFinished);
        Assert.Equal([(8, CheckpointFate.Planned)], atEnd);
        Assert.Empty(CheckpointSelection.AtEnd(landed, FollowEnd.Stopped));
    }

    [Fact]
    public void Newest_first_keeps_checkpoints_waiting_and_plans_the_newest_when_there_is_room_filling_the_gaps_at_the_end()
    {
        var landed = Land(new ThinningSpec(ThinningSpec.NewestFirstKind, 0), Enumerable.Range(0, 5).Select(i => Landing(i)));
        Assert.All(landed, f => Assert.Equal(CheckpointFate.Waiting, f.Fate));
        Assert.Empty(CheckpointSelection.NextWaiting(landed, 0)); // the grid is behind: nothing more now
        Assert.Equal([4], CheckpointSelection.NextWaiting(landed, 1)); // room for one: the newest
        landed[4] = landed[4] with { Fate = CheckpointFate.Planned };
        Assert.Equal([3, 2], CheckpointSelection.NextWaiting(landed, 2)); // then the newest of the rest
        // Training finished: every gap is filled, newest first; stopped: the waiting are skipped.
        Assert.Equal([(3, CheckpointFate.Planned), (2, CheckpointFate.Planned), (1, CheckpointFate.Planned), (0, CheckpointFate.Planned)],
            CheckpointSelection.AtEnd(landed, FollowEnd.TrainingFinished));
        Assert.Equal([(3, CheckpointFate.Skipped), (2, CheckpointFate.Skipped), (1, CheckpointFate.Skipped), (0, CheckpointFate.Skipped)],
            CheckpointSelection.AtEnd(landed, FollowEnd.Stopped));
    }

    [Fact]
    public void A_checkpoint_with_the_content_of_one_analysed_or_waiting_is_a_duplicate_whatever_the_policy()
    {
        foreach (var thinning in new[] { ThinningSpec.Every, new ThinningSpec(ThinningSpec.StepsKind, 1), new ThinningSpec(ThinningSpec.NewestFirstKind, 0) })
        {
            // Step 200 holds the same bytes as step 100; step 300 the same as step 0.
            var landed = Land(thinning, [Landing(0), Landing(1), Landing(2, content: "h1"), Landing(3, content: "h0"), Landing(4)]);
            Assert.Equal([CheckpointFate.Duplicate, CheckpointFate.Duplicate], landed.Where(f => f.DuplicateOf is not null).Select(f => f.Fate));
            Assert.Equal(["step-100", "step-0"], landed.Where(f => f.Fate == CheckpointFate.Duplicate).Select(f => f.DuplicateOf));
            Assert.Equal([200L, 300], Steps(landed, CheckpointFate.Duplicate));
        }
        // Content skipped by thinning was never analysed: a later checkpoint with it is no duplicate.
        var thinned = Land(new ThinningSpec(ThinningSpec.StepsKind, 200), [Landing(0), Landing(1), Landing(2, content: "h1")]);
        Assert.Equal([CheckpointFate.Planned, CheckpointFate.Skipped, CheckpointFate.Planned], thinned.Select(f => f.Fate));
    }
}
