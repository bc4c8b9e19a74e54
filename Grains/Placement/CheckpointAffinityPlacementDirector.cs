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
public sealed class CheckpointAffinityPlacementDirector(IServiceProvider services) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var requirement = target.RequestContextData?.GetValueOrDefault(SiloCapabilities.RequirementKey) as string;
        var silos = Able(context.GetCompatibleSilos(target), requirement, services);
        if (silos.Length == 0)
            throw new OrleansException(
                $"no silo in the cluster has a GPU, and this sweep's spec asks for resources.device = \"cuda\": start a GPU silo, or set the device to \"auto\"");
        if (target.RequestContextData is { } data && IPlacementDirector.GetPlacementHint(data, silos) is { } hint) return Task.FromResult(hint);
        var key = target.GrainIdentity.Key.ToString() ?? "";
        return Task.FromResult(RendezvousHash.Choose(GrainKeys.AffinityOf(key), silos, SiloName));
    }

    /// <summary>The silos whose advertised compute meets the requirement (all of them when there is none).</summary>
    public static SiloAddress[] Able(IEnumerable<SiloAddress> silos, string? requirement, IServiceProvider services)
    {
        if (requirement is null) return silos.ToArray();
        var metadata = services.GetService(typeof(Orleans.Runtime.MembershipService.SiloMetadata.ISiloMetadataCache))
            as Orleans.Runtime.MembershipService.SiloMetadata.ISiloMetadataCache;
        return silos.Where(s => SiloCapabilities.Satisfies(metadata?.GetSiloMetadata(s)?.Metadata, requirement)).ToArray();
    }

    /// <summary>The silo's identity as hashed; the sweep uses the same to predict a checkpoint's silo.</summary>
    public static string SiloName(SiloAddress silo) => silo.ToParsableString();
}
