namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>
/// One per-pixel map of one input sample at one (checkpoint, layer, repeat): the sample itself
/// (<see cref="InputKind"/>), or pixel-level SID H_i or RU Ĥ_i of the layer (the paper's Fig. 1).
/// Values are row-major over <see cref="Height"/> x <see cref="Width"/>; a multi-channel input's
/// map is the mean over its channels.
/// </summary>
/// <param name="Sample">The sample's index in the data set's test split.</param>
/// <param name="Label">The sample's class (-1 where the data set has none).</param>
[GenerateSerializer, Immutable]
public sealed record PixelMap(
    [property: Id(0)] string Checkpoint,
    [property: Id(1)] long Step,
    [property: Id(2)] string Layer,
    [property: Id(3)] int LayerIndex,
    [property: Id(4)] int Repeat,
    [property: Id(5)] int Sample,
    [property: Id(6)] long Label,
    [property: Id(7)] string Kind,
    [property: Id(8)] int Height,
    [property: Id(9)] int Width,
    [property: Id(10)] ImmutableArray<float> Values)
{
    public const string InputKind = "input";
    public const string SidKind = "sid";
    public const string RuKind = "ru";
}
