namespace ProbeGrid.Grains.Sweeps;

/// <summary>How sweep coordinators dispatch (section "ProbeGrid:Sweeps" of the configuration).</summary>
public sealed class SweepOptions
{
    public const string Section = "ProbeGrid:Sweeps";

    /// <summary>Checkpoints a sweep keeps running at once on one silo (each runs all its layer units).</summary>
    public int CheckpointsPerSilo { get; set; } = 2;

    /// <summary>
    /// Tries per unit when its call fails other than by losing its silo (analysis errors are not retried; a lost silo is
    /// waited out, see <see cref="LostSiloPatience"/>). The pause doubles from <see cref="RetryDelay"/> each time.
    /// </summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>
    /// A running sweep restarts dispatching whenever its grain activates (after its silo died, or
    /// a whole-cluster restart, prompted by its reminder). The embedded grid turns this off: its
    /// short-lived query commands must not start compute.
    /// </summary>
    public bool ResumeOnActivation { get; set; } = true;

    /// <summary>
    /// How long a unit keeps waiting out calls lost with their silo (a killed silo, or the stale addresses a whole-cluster
    /// restart leaves until the membership declares the old silos dead) before such losses count as attempts.
    /// </summary>
    public TimeSpan LostSiloPatience { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How often a running sweep's reminder wakes it, so that it resumes by itself after a whole-cluster restart. Orleans allows
    /// no reminder under a minute by default; a shorter period here lowers that floor on the silo (tests use seconds).
    /// </summary>
    public TimeSpan KeepRunningPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Pause before the first retry of a unit whose silo failed; doubled for each further retry.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
