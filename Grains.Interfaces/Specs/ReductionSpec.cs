namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>
/// How each tapped activation is reduced before it is cached: "flatten" (as is), "spatial-mean" (average over H and W),
/// or a projection to at most MaxDims dimensions: "sparse-projection" (the default, a count sketch), "pooled-projection"
/// or "random-projection" (dense Gaussian). ProbeGrid.Analysis.Activations.Reduction says what each keeps.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ReductionSpec(
    [property: Id(0)] string Kind,
    [property: Id(1)] int MaxDims,
    [property: Id(2)] long Seed);
