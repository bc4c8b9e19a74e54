namespace ProbeGrid.Grains.Compute;

/// <summary>
/// Work interrupted because its silo is shutting down (SIGTERM, Ctrl-C, a scale-down). It is not the
/// work's failure: the sweep hands the unit to another silo, or runs it when the grid comes back,
/// without counting an attempt.
/// </summary>
[GenerateSerializer]
public sealed class SiloStoppingException : OrleansException
{
    public SiloStoppingException(string message) : base(message) { }

    public SiloStoppingException(string message, Exception inner) : base(message, inner) { }
}
