namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>
/// A checkpoint of the analysed model in training order. <see cref="Path"/> is null for the
/// untrained network built from the spec's init seed. <see cref="ContentHash"/> is the SHA-256 of
/// the file when the sweep was planned (null for the untrained network): the weights every unit must see.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CheckpointRef(
    [property: Id(0)] string Name,
    [property: Id(1)] long Step,
    [property: Id(2)] string? Path,
    [property: Id(3)] string? ContentHash = null);
