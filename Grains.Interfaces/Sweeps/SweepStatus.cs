namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>A sweep's progress: how many units are done, failed, running, and how fast they finish.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepStatus(
    [property: Id(0)] string SweepId,
    [property: Id(1)] SweepPhase Phase,
    [property: Id(2)] int TotalUnits,
    [property: Id(3)] int Succeeded,
    [property: Id(4)] int Failed,
    [property: Id(5)] int Running,
    [property: Id(6)] DateTime SubmittedAt,
    [property: Id(7)] DateTime? FinishedAt,
    [property: Id(8)] double UnitsPerMinute)
{
    /// <summary>How the sweep keeps up with its training run; null for a sweep that does not follow one.</summary>
    [Id(9)] public FollowStatus? Follow { get; init; }

    public int Done => Succeeded + Failed;

    public int Pending => Math.Max(0, TotalUnits - Done - Running);

    public bool IsFinished => Phase is SweepPhase.Completed or SweepPhase.Cancelled;

    /// <summary>Time left at the recent rate for the units planned so far (a following sweep plans more as checkpoints land); null before the first unit finishes.</summary>
    public TimeSpan? Eta => UnitsPerMinute > 0 ? TimeSpan.FromMinutes((TotalUnits - Done) / UnitsPerMinute) : null;

    public static SweepStatus Unknown(string sweepId) => new(sweepId, SweepPhase.Unknown, 0, 0, 0, 0, default, null, 0);
}
