using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;

namespace ProbeGrid.Grains.Units;

/// <summary>
/// A unit's work split over stateless shard grains, one share each, asked side by side: the one fan-out every
/// sharded analysis (complexity's coalitions, discarding's samples) uses. Each shard is keyed on its own so
/// placement spreads the shards over the cluster, and a shard lost with its silo is asked again.
/// </summary>
public static class ShardFanOut
{
    /// <param name="keyOf">the grain key of the shard with this index.</param>
    /// <param name="ask">the call to the shard grain with this key, for its share.</param>
    /// <returns>the shards' answers, in the order of <paramref name="shares"/>.</returns>
    public static Task<TAnswer[]> Ask<TShare, TAnswer>(
        IReadOnlyList<TShare> shares, Func<int, string> keyOf, Func<string, TShare, Task<TAnswer>> ask, ILogger logger)
    {
        // The sweep's placement hint flows with the calls; left in, it would put every shard on the checkpoint's silo.
        RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        return Task.WhenAll(shares.Select((share, i) =>
        {
            var key = keyOf(i);
            return LostSiloRetry.Ask(() => ask(key, share), key, logger);
        }));
    }
}
