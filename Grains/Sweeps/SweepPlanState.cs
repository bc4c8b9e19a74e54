using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Sweeps;

/// <summary>
/// The durable, write-once part of a sweep: the expanded plan and the spec's fingerprint (a
/// re-submit of the same spec resumes; a different one under the same id is refused). A following
/// sweep rewrites it when checkpoints land (once per look that finds some, not per unit).
/// </summary>
[GenerateSerializer]
public sealed class SweepPlanState
{
    public const int CurrentSchemaVersion = 1;

    [Id(0)] public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    [Id(1)] public SweepPlan? Plan { get; set; }

    [Id(2)] public string SpecFingerprint { get; set; } = "";

    [Id(3)] public DateTime SubmittedAt { get; set; }

    /// <summary>What a sweep that follows a training run has taken in so far; null for a sweep planned once. Its plan grows with it.</summary>
    [Id(4)] public FollowState? Follow { get; set; }
}
