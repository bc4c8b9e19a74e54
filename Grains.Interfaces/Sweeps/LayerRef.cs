namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>A tapped layer with its depth index (0 = the input) and its feature width after the spec's reduction.</summary>
[GenerateSerializer, Immutable]
public sealed record LayerRef(
    [property: Id(0)] string Name,
    [property: Id(1)] int Index,
    [property: Id(2)] int Width = 0);
