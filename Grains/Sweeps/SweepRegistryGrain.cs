using ProbeGrid.GrainsInterfaces.Grains;

namespace ProbeGrid.Grains.Sweeps;

/// <summary>The ids of every sweep submitted, in submission order (one write per new sweep).</summary>
public sealed class SweepRegistryGrain(
    [PersistentState("registry", StorageNames.State)] IPersistentState<SweepRegistryState> state) : Grain, ISweepRegistryGrain
{
    public async Task Register(string sweepId)
    {
        if (state.State.SweepIds.Contains(sweepId)) return;
        state.State.SweepIds.Add(sweepId);
        await state.WriteStateAsync();
    }

    public Task<ImmutableArray<string>> List() => Task.FromResult(state.State.SweepIds.ToImmutableArray());
}
