using ProbeGrid.GrainsInterfaces.InfoDiscarding;

namespace ProbeGrid.GrainsInterfaces.Grains;

/// <summary>
/// Measures a share of an information-discarding unit's samples (key: <see cref="Sweeps.GrainKeys.DiscardingShard"/>)
/// on whichever silo placement spreads it to. Holds no state: a shard lost with its silo is asked again, and lands elsewhere.
/// </summary>
public interface IDiscardingShardGrain : IGrainWithStringKey
{
    /// <summary>SID (and RU) of each of <see cref="DiscardingShardWork.Samples"/>, in that order.</summary>
    [ResponseTimeout("1.00:00:00")]
    Task<ImmutableArray<SampleDiscarding>> Measure(DiscardingShardWork work);
}
