using Orleans.Runtime.Placement;

namespace ProbeGrid.Grains.Placement;

/// <summary>Puts the grain on the silo named by its key; refuses when that silo is not in the cluster.</summary>
public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString() ?? "";
        var silo = context.GetCompatibleSilos(target).FirstOrDefault(s => s.ToParsableString() == key);
        return silo is not null
            ? Task.FromResult(silo)
            : throw new OrleansException($"silo {key} is not an active member of the cluster");
    }
}
