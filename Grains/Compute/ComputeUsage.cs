namespace ProbeGrid.Grains.Compute;

/// <summary>A snapshot of an executor: slots in use, jobs queued and finished, units in its jobs, memory reserved.</summary>
public sealed record ComputeUsage(
    int Slots, int Busy, int Queued, long Completed, long Failed, long ReservedBytes, long BudgetBytes,
    int UnitsRunning, long UnitsDone, DateTime StartedAt);
