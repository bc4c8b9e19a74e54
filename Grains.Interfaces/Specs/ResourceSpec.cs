namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>
/// What a unit needs: the device ("cpu", "cuda" or "auto": a GPU when the silo has one) and the
/// forward-pass batch size used for activation extraction.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ResourceSpec(
    [property: Id(0)] string Device,
    [property: Id(1)] int BatchSize);
