using System.Collections.Immutable;

namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>A metric's curves along one axis, series in training (or depth) order.</summary>
[GenerateSerializer, Immutable]
public sealed record Curve(
    [property: Id(0)] string Metric,
    [property: Id(1)] CurveAxis Along,
    [property: Id(2)] ImmutableArray<CurveSeries> Series);
