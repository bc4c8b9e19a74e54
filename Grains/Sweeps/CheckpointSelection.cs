using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Sweeps;

/// <summary>
/// What a following sweep does with each checkpoint that lands, by its thinning policy: analyse it, leave it out,
/// or keep it waiting (newest-first); and with the waiting ones when the grid has room, or when following ends.
/// A checkpoint with the content of one analysed or waiting is a duplicate, whatever the policy.
/// </summary>
public static class CheckpointSelection
{
    /// <summary>The fate of <paramref name="checkpoint"/>, landed after <paramref name="before"/> (in landing order).</summary>
    public static FollowedCheckpoint Arrive(ThinningSpec thinning, IReadOnlyList<FollowedCheckpoint> before, CheckpointRef checkpoint, DateTime landedAt)
    {
        if (checkpoint.ContentHash is { } hash
            && before.FirstOrDefault(f => f.Fate is CheckpointFate.Planned or CheckpointFate.Waiting && f.Checkpoint.ContentHash == hash) is { } same)
            return new FollowedCheckpoint(checkpoint, landedAt, CheckpointFate.Duplicate, same.Checkpoint.Name);
        var last = before.LastOrDefault(f => f.Fate == CheckpointFate.Planned);
        var fate = thinning.Kind switch
        {
            ThinningSpec.NewestFirstKind => CheckpointFate.Waiting,
            ThinningSpec.StepsKind => last is null || checkpoint.Step - last.Checkpoint.Step >= thinning.Interval ? CheckpointFate.Planned : CheckpointFate.Skipped,
            ThinningSpec.MinutesKind => last is null || (landedAt - last.LandedAt).TotalMinutes >= thinning.Interval ? CheckpointFate.Planned : CheckpointFate.Skipped,
            _ => CheckpointFate.Planned,
        };
        return new FollowedCheckpoint(checkpoint, landedAt, fate);
    }

    /// <summary>The waiting checkpoints to plan now, newest first (by position in <paramref name="landed"/>), at most <paramref name="room"/>.</summary>
    public static IReadOnlyList<int> NextWaiting(IReadOnlyList<FollowedCheckpoint> landed, int room) =>
        room <= 0 ? [] : [.. Enumerable.Range(0, landed.Count).Reverse().Where(i => landed[i].Fate == CheckpointFate.Waiting).Take(room)];

    /// <summary>
    /// What changes when following ends (positions in <paramref name="landed"/> and their new fate). The run finished or went
    /// quiet: the waiting checkpoints are planned, newest first (the gaps filled), and the run's last checkpoint is analysed
    /// even when an interval policy left it out. Stopped by the user: what is planned finishes, and the waiting are skipped.
    /// </summary>
    public static IReadOnlyList<(int Position, CheckpointFate Fate)> AtEnd(IReadOnlyList<FollowedCheckpoint> landed, FollowEnd end)
    {
        if (end is not (FollowEnd.TrainingFinished or FollowEnd.IdleTimeout))
            return end == FollowEnd.Stopped ? [.. NextWaiting(landed, int.MaxValue).Select(i => (i, CheckpointFate.Skipped))] : [];
        var changes = NextWaiting(landed, int.MaxValue).Select(i => (i, CheckpointFate.Planned)).ToList();
        var lastNew = Enumerable.Range(0, landed.Count).Reverse().FirstOrDefault(i => landed[i].Fate != CheckpointFate.Duplicate, -1);
        if (lastNew >= 0 && landed[lastNew].Fate == CheckpointFate.Skipped) changes.Add((lastNew, CheckpointFate.Planned));
        return changes;
    }
}
