using ProbeGrid.GrainsInterfaces.Complexity;

namespace ProbeGrid.GrainsInterfaces.Grains;

/// <summary>
/// Evaluates a share of a complexity unit's coalitions (key: <see cref="Sweeps.GrainKeys.ShapleyShard"/>)
/// on whichever silo placement spreads it to, and answers their losses. Holds no state: a shard
/// lost with its silo is asked again, and lands elsewhere.
/// </summary>
public interface IShapleyShardGrain : IGrainWithStringKey
{
    /// <summary>The losses of <see cref="ShapleyShardWork.Coalitions"/>, in that order.</summary>
    [ResponseTimeout("1.00:00:00")]
    Task<ImmutableArray<CoalitionLoss>> Evaluate(ShapleyShardWork work);
}
