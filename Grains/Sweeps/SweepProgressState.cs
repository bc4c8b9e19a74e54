using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Sweeps;

/// <summary>
/// The durable, frequently written part of a sweep, kept small: a bit per unit (done) and the
/// failures with their causes. Results themselves live with the unit grains.
/// </summary>
[GenerateSerializer]
public sealed class SweepProgressState
{
    public const int CurrentSchemaVersion = 1;

    [Id(0)] public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    [Id(1)] public SweepPhase Phase { get; set; } = SweepPhase.Unknown;

    /// <summary>Bit i set: unit i (in <see cref="SweepPlan.Units"/> order) has its result recorded.</summary>
    [Id(2)] public byte[] Succeeded { get; set; } = [];

    [Id(3)] public int SucceededCount { get; set; }

    /// <summary>Units that failed for good, by unit index.</summary>
    [Id(4)] public Dictionary<int, UnitFailure> Failures { get; set; } = [];

    [Id(5)] public DateTime? FinishedAt { get; set; }
}
