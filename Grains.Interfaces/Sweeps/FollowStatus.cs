namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>
/// Where a following sweep stands against its training run: checkpoints landed and what became of them, the backlog
/// (landed but not yet analysed), the newest analysed checkpoint, and the lag between a checkpoint landing and its
/// units all finishing (the last one's, the mean and the largest).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FollowStatus(
    [property: Id(0)] FollowEnd End,
    [property: Id(1)] int Landed,
    [property: Id(2)] int Planned,
    [property: Id(3)] int Analysed,
    [property: Id(4)] int Duplicates,
    [property: Id(5)] int Skipped,
    [property: Id(6)] int Backlog,
    [property: Id(7)] string? NewestAnalysed,
    [property: Id(8)] long? NewestAnalysedStep,
    [property: Id(9)] TimeSpan? LastLag,
    [property: Id(10)] TimeSpan? MeanLag,
    [property: Id(11)] TimeSpan? MaxLag,
    [property: Id(12)] int WaitingToSettle)
{
    /// <summary>Still looking for checkpoints.</summary>
    public bool Following => End == FollowEnd.None;
}
