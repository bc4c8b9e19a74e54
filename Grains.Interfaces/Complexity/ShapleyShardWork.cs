using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.GrainsInterfaces.Complexity;

/// <summary>
/// A share of one unit's coalition evaluations: the checkpoint whose upper network (the layers
/// above <see cref="Layer"/>) scores the coalitions, the components of both sample sets, and the
/// coalitions (bit masks, player i = order i) this shard evaluates. Every coalition is evaluated on
/// all samples by one shard, so a coalition's loss does not depend on how the work was split.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShapleyShardWork(
    [property: Id(0)] CheckpointWork Work,
    [property: Id(1)] string Layer,
    [property: Id(2)] ImmutableArray<long> FeatureShape,
    [property: Id(3)] ComponentSet Train,
    [property: Id(4)] ComponentSet Test,
    [property: Id(5)] ImmutableArray<uint> Coalitions);
