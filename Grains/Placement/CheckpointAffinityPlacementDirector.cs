using Orleans.Runtime.Placement;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Placement;

/// <summary>
/// Chooses, among the silos able to host the grain, the one rendezvous hashing assigns to the
/// grain's checkpoint. If that silo dies, the checkpoint moves to the next-highest silo and its
/// activations are recomputed there; other checkpoints stay where they are.
/// </summary>
public sealed class CheckpointAffinityPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target);
        var key = target.GrainIdentity.Key.ToString() ?? "";
        return Task.FromResult(RendezvousHash.Choose(GrainKeys.AffinityOf(key), silos, SiloName));
    }

    /// <summary>The silo's identity as hashed; the sweep uses the same to predict a checkpoint's silo.</summary>
    public static string SiloName(SiloAddress silo) => silo.ToParsableString();
}
