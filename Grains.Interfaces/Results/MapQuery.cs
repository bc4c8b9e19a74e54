namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>Which per-pixel maps to read from a sweep: all of them, or only some checkpoints, layers, samples or kinds.</summary>
[GenerateSerializer, Immutable]
public sealed record MapQuery(
    [property: Id(0)] ImmutableArray<string> Checkpoints = default,
    [property: Id(1)] ImmutableArray<string> Layers = default,
    [property: Id(2)] ImmutableArray<int> Samples = default,
    [property: Id(3)] ImmutableArray<string> Kinds = default)
{
    public bool Includes(PixelMap map) =>
        (Checkpoints.IsDefaultOrEmpty || Checkpoints.Contains(map.Checkpoint))
        && (Layers.IsDefaultOrEmpty || Layers.Contains(map.Layer))
        && (Samples.IsDefaultOrEmpty || Samples.Contains(map.Sample))
        && (Kinds.IsDefaultOrEmpty || Kinds.Contains(map.Kind));
}
