namespace ProbeGrid.GrainsInterfaces.Grains;

/// <summary>The list of sweeps ever submitted (a single grain, key 0), so status can list them and a restarted cluster can resume them.</summary>
public interface ISweepRegistryGrain : IGrainWithIntegerKey
{
    Task Register(string sweepId);

    Task<ImmutableArray<string>> List();
}
