using System.Collections.Immutable;

namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>
/// The analysed network. <see cref="Checkpoints"/> is a folder (or folder/glob) of checkpoints
/// ordered by training time; when it is null the sweep analyses the untrained network built
/// from <see cref="InitSeed"/> (plus the repeat index), as in the probe paper's Fig. 3.
/// <see cref="Architecture"/> may be left out when the folder holds the model.json that
/// <c>probegrid train</c> writes.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ModelSpec(
    [property: Id(0)] string? Architecture,
    [property: Id(1)] ImmutableSortedDictionary<string, string> Parameters,
    [property: Id(2)] string? Checkpoints,
    [property: Id(3)] long InitSeed);
