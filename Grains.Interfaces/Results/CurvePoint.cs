namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>A point of a curve: the mean over repeats at one x, with its standard deviation and count.</summary>
[GenerateSerializer, Immutable]
public sealed record CurvePoint(
    [property: Id(0)] double X,
    [property: Id(1)] string Label,
    [property: Id(2)] double Mean,
    [property: Id(3)] double StdDev,
    [property: Id(4)] int Count);
