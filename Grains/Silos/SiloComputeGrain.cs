using Orleans.Runtime.MembershipService.SiloMetadata;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Placement;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Silos;

/// <summary>Reads this silo's compute executor and advertised capabilities.</summary>
[SiloPinnedPlacement]
public sealed class SiloComputeGrain(IComputeExecutor executor, ILocalSiloDetails silo, IServiceProvider services) : Grain, ISiloComputeGrain
{
    public Task<SiloComputeStatus> GetStatus()
    {
        var usage = executor.Usage;
        var metadata = (services.GetService(typeof(ISiloMetadataCache)) as ISiloMetadataCache)?.GetSiloMetadata(silo.SiloAddress)?.Metadata
            ?? ImmutableDictionary<string, string>.Empty;
        return Task.FromResult(new SiloComputeStatus(silo.SiloAddress.ToString(), metadata, usage.Slots, usage.Busy, usage.Queued,
            usage.UnitsRunning, usage.UnitsDone, usage.Failed, usage.ReservedBytes, usage.BudgetBytes, usage.StartedAt));
    }
}
