namespace ProbeGrid.GrainsInterfaces.Complexity;

/// <summary>
/// The feature components of one sample set (the game's training or test samples) as a Shapley
/// shard needs them: c^(l_i) per order and the remainder Δf, each row-major [samples, ..feature
/// shape], and the samples' targets: class indices, or rows of <see cref="TargetShape"/> (label sets
/// [classes], or regression targets).
/// Sent as is, never changed: [Immutable] spares a copy when the shard is on the same silo.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ComponentSet(
    [property: Id(0)] int Samples,
    [property: Id(1)] ImmutableArray<float[]> Components,
    [property: Id(2)] float[] Remainder,
    [property: Id(3)] long[]? Classes,
    [property: Id(4)] float[]? TargetRows,
    [property: Id(5)] ImmutableArray<long> TargetShape);
