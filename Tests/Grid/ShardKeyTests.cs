using ProbeGrid.Grains.Placement;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// Shapley and discarding shard grains are placed by their whole key, not by their checkpoint (as unit grains are), so
/// the shards of one unit spread over the silos instead of piling onto the checkpoint's silo.
/// </summary>
public class ShardKeyTests
{
    [Theory]
    [InlineData("complexity")]
    [InlineData("discarding")]
    public void Each_shard_hashes_on_its_own_and_the_shards_of_a_unit_spread_over_the_silos(string analysis)
    {
        var unit = new UnitKey("step|10", "layer3.out_preact", analysis, 0);
        var keys = Enumerable.Range(0, 8)
            .Select(i => analysis == "complexity" ? GrainKeys.ShapleyShard("sweep", unit, i, 8) : GrainKeys.DiscardingShard("sweep", unit, i, 8)).ToList();
        Assert.Equal(8, keys.Select(GrainKeys.AffinityOf).Distinct().Count());
        Assert.All(keys, k => Assert.Equal(k, GrainKeys.AffinityOf(k)));
        Assert.All(keys, k => Assert.DoesNotContain("step|10", k)); // names are escaped: no stray separator

        string[] silos = ["silo-a", "silo-b", "silo-c"];
        var chosen = keys.Select(k => RendezvousHash.Choose(GrainKeys.AffinityOf(k), silos, s => s)).ToList();
        Assert.True(chosen.Distinct().Count() >= 2, $"all 8 shards on {chosen[0]}");
        // A checkpoint's units, by contrast, all hash to one silo.
        var units = Enumerable.Range(0, 8).Select(i => GrainKeys.Unit("sweep", unit with { Layer = $"layer{i}" }));
        Assert.Single(units.Select(k => RendezvousHash.Choose(GrainKeys.AffinityOf(k), silos, s => s)).Distinct());
    }
}
