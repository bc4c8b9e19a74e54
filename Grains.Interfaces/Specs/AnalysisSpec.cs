using System.Collections.Immutable;

namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>One analysis to run at every (checkpoint, layer): its kind (e.g. "probe") and parameters.</summary>
[GenerateSerializer, Immutable]
public sealed record AnalysisSpec(
    [property: Id(0)] string Kind,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Parameters);
