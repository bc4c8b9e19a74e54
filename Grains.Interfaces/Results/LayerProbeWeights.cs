namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>A layer's trained probe (W: Inputs x Classes row-major, and b), passed between checkpoints to warm-start.</summary>
[GenerateSerializer, Immutable]
public sealed record LayerProbeWeights(
    [property: Id(0)] string Layer,
    [property: Id(1)] float[] Weights,
    [property: Id(2)] float[] Bias,
    [property: Id(3)] int Inputs,
    [property: Id(4)] int Classes);
