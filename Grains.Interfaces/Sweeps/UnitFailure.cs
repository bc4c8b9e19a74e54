namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>A unit that did not produce a result: the cause, how many times it was tried, and where it last ran.</summary>
[GenerateSerializer, Immutable]
public sealed record UnitFailure(
    [property: Id(0)] UnitKey Key,
    [property: Id(1)] string Cause,
    [property: Id(2)] int Attempts,
    [property: Id(3)] string Silo);
