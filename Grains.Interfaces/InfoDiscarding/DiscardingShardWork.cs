using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.GrainsInterfaces.InfoDiscarding;

/// <summary>
/// A share of one information-discarding unit's samples: the checkpoint whose layer is analysed, the
/// test-split samples this shard measures, and the unit's trained RU decoder (TorchSharp's module
/// format; empty when the spec turns RU off). Every sample is measured whole by one shard with its own
/// seed, so a sample's result does not depend on how the work was split.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DiscardingShardWork(
    [property: Id(0)] CheckpointWork Work,
    [property: Id(1)] string Layer,
    [property: Id(2)] ImmutableArray<int> Samples,
    [property: Id(3)] ImmutableArray<byte> Decoder);
