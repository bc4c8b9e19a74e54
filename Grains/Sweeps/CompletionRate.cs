namespace ProbeGrid.Grains.Sweeps;

/// <summary>
/// Units finished per minute over the last ten minutes of dispatching (units finish in bursts, a checkpoint at a
/// time, so a shorter window swings). Kept in memory: a new activation starts counting afresh.
/// </summary>
internal sealed class CompletionRate
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    private readonly Queue<DateTime> completions = new();
    private DateTime startedAt;

    public void DispatchStarted() => startedAt = DateTime.UtcNow;

    public void Completed()
    {
        completions.Enqueue(DateTime.UtcNow);
        while (completions.Count > 10_000) completions.Dequeue();
    }

    public double PerMinute()
    {
        var now = DateTime.UtcNow;
        var windowStart = startedAt > now - Window ? startedAt : now - Window;
        var minutes = (now - windowStart).TotalMinutes;
        return minutes > 0 ? completions.Count(t => t >= windowStart) / minutes : 0;
    }
}
