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

    /// <summary>A following sweep's lag (a checkpoint landing to its units all finished), as running totals so the state stays small.</summary>
    [Id(6)] public int LagCount { get; set; }

    [Id(7)] public double LagTotalSeconds { get; set; }

    [Id(8)] public double LagMaxSeconds { get; set; }

    [Id(9)] public double LastLagSeconds { get; set; }

    /// <summary>The newest checkpoint (by training order) whose units have all finished, as its index in the plan; -1 before any.</summary>
    [Id(10)] public int NewestAnalysed { get; set; } = -1;
}
