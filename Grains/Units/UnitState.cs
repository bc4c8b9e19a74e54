using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Units;

/// <summary>A unit's stored outcome (successes only: a failed unit is tried again when its sweep is resumed).</summary>
[GenerateSerializer]
public sealed class UnitState
{
    [Id(0)] public int SchemaVersion { get; set; } = 1;

    [Id(1)] public UnitOutcome? Outcome { get; set; }
}
