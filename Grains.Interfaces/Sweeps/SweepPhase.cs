namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>Where a sweep is in its life.</summary>
public enum SweepPhase
{
    /// <summary>No sweep has this id.</summary>
    Unknown,
    /// <summary>Units are being dispatched or run.</summary>
    Running,
    /// <summary>Every unit has a result or a recorded failure.</summary>
    Completed,
    /// <summary>Cancelled: nothing more is dispatched; finished units keep their results.</summary>
    Cancelled,
}
