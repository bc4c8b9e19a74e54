using Orleans.Runtime.Placement;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Placement;

/// <summary>
/// Chooses, among the silos able to host the grain, the one the sweep asked for (a placement hint
/// in the request context: its choice spreads checkpoints over silos with free slots), else the
/// one rendezvous hashing assigns to the grain's checkpoint. A checkpoint's grain and its unit
/// grains are placed by the same rule, so they meet on one silo. If that silo dies, its
/// checkpoints move elsewhere and their activations are recomputed there.
/// </summary>
public sealed class CheckpointAffinityPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        if (IPlacementDirector.GetPlacementHint(target.RequestContextData, silos) is { } hint) return Task.FromResult(hint);
        var key = target.GrainIdentity.Key.ToString() ?? "";
        return Task.FromResult(RendezvousHash.Choose(GrainKeys.AffinityOf(key), silos, SiloName));
    }

    /// <summary>The silo's identity as hashed; the sweep uses the same to predict a checkpoint's silo.</summary>
    public static string SiloName(SiloAddress silo) => silo.ToParsableString();
}
