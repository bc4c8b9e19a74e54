using System.Collections.Immutable;

namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>One line of a curve: a checkpoint (along layers) or a layer (along checkpoints).</summary>
[GenerateSerializer, Immutable]
public sealed record CurveSeries(
    [property: Id(0)] string Name,
    [property: Id(1)] long Order,
    [property: Id(2)] ImmutableArray<CurvePoint> Points);
