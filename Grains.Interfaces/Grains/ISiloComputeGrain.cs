using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.GrainsInterfaces.Grains;

/// <summary>Reports one silo's compute (key: the silo's address, as SiloAddress.ToParsableString); placed on that silo.</summary>
public interface ISiloComputeGrain : IGrainWithStringKey
{
    Task<SiloComputeStatus> GetStatus();
}
