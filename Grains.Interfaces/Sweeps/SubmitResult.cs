namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>
/// The answer to a submit: accepted (a new sweep, or the same spec again, which resumes it),
/// or rejected with every problem found, before any work starts.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SubmitResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] ImmutableArray<string> Problems,
    [property: Id(2)] SweepStatus Status);
