namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>
/// One silo's compute as `probegrid cluster status` shows it: what it advertises, its executor's
/// slots, the units running and done there, and its throughput since it started.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SiloComputeStatus(
    [property: Id(0)] string Silo,
    [property: Id(1)] ImmutableDictionary<string, string> Capabilities,
    [property: Id(2)] int Slots,
    [property: Id(3)] int SlotsBusy,
    [property: Id(4)] int JobsQueued,
    [property: Id(5)] int UnitsRunning,
    [property: Id(6)] long UnitsDone,
    [property: Id(7)] long JobsFailed,
    [property: Id(8)] long MemoryReservedBytes,
    [property: Id(9)] long MemoryBudgetBytes,
    [property: Id(10)] DateTime StartedAt)
{
    /// <summary>Units finished per minute since the silo started.</summary>
    public double UnitsPerMinute(DateTime now) => now > StartedAt ? UnitsDone / (now - StartedAt).TotalMinutes : 0;
}
