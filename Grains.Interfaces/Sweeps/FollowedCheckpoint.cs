namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>
/// A checkpoint a following sweep took in, whole, from the run's folder: when it landed (written, by index.json or
/// its files), and what became of it: analysed, a duplicate of one analysed (<see cref="DuplicateOf"/>), skipped by
/// the thinning policy, or waiting for the grid to catch up (newest-first).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FollowedCheckpoint(
    [property: Id(0)] CheckpointRef Checkpoint,
    [property: Id(1)] DateTime LandedAt,
    [property: Id(2)] CheckpointFate Fate,
    [property: Id(3)] string? DuplicateOf = null);

/// <summary>What a following sweep does with a checkpoint that landed.</summary>
public enum CheckpointFate
{
    /// <summary>In the plan: its units run (or ran).</summary>
    Planned,
    /// <summary>The same content (SHA-256 of its files) as a checkpoint analysed: not analysed again.</summary>
    Duplicate,
    /// <summary>Left out by the thinning policy, or still waiting when the user stopped the sweep.</summary>
    Skipped,
    /// <summary>Waiting to be planned (newest-first: the grid is behind).</summary>
    Waiting,
}

/// <summary>Why a following sweep stopped looking for checkpoints.</summary>
public enum FollowEnd
{
    /// <summary>Still following.</summary>
    None,
    /// <summary>The training run marked itself finished in index.json.</summary>
    TrainingFinished,
    /// <summary>`probegrid stop`: what is planned finishes, then the sweep completes.</summary>
    Stopped,
    /// <summary>No checkpoint came for the spec's follow.idleMinutes.</summary>
    IdleTimeout,
    /// <summary>The sweep was cancelled.</summary>
    Cancelled,
}
