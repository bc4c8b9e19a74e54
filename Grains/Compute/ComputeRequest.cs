namespace ProbeGrid.Grains.Compute;

/// <summary>
/// A job for the executor: what it is (for logs and errors) and how much memory it will hold at
/// most. Light jobs (planning: a dry run on one sample) have their own thread, so a sweep can be
/// submitted while hour-long jobs hold every slot.
/// </summary>
/// <param name="Units">how many sweep units the job serves (for per-silo throughput).</param>
public sealed record ComputeRequest(string Description, long EstimatedBytes, bool Light = false, int Units = 0);
