using System.Collections.Immutable;

namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>The data run through the network: a catalog name, its parameters (split sizes...) and a seed.</summary>
[GenerateSerializer, Immutable]
public sealed record DatasetSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Parameters,
    [property: Id(2)] long Seed);
