using Microsoft.Extensions.Logging;
using ProbeGrid.Grains.Placement;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Units;

/// <summary>
/// One unit. Asks its checkpoint grain (on the same silo, by placement) for the analysis of its
/// layer and stores the outcome, so a duplicate delivery or a retry returns it without recomputing.
/// </summary>
[CheckpointAffinityPlacementAttribute]
public sealed class LayerAnalysisGrain(
    [PersistentState("unit", StorageNames.State)] IPersistentState<UnitState> state,
    ILogger<LayerAnalysisGrain> logger) : Grain, ILayerAnalysisGrain
{
    public async Task<UnitOutcome> Run(CheckpointWork work, LayerRef layer, string analysis)
    {
        if (state.State.Outcome is { } stored) return stored;

        var outcome = await GrainFactory.GetGrain<ICheckpointGrain>(work.CheckpointKey).Analyse(work, layer, analysis);
        if (outcome.Succeeded)
        {
            state.State.Outcome = outcome;
            await state.WriteStateAsync();
        }
        else
        {
            logger.LogWarning("Unit {Unit} of sweep {SweepId} failed: {Cause}", outcome.Key, work.SweepId, outcome.Error);
        }
        return outcome;
    }

    public Task<UnitOutcome?> GetOutcome() => Task.FromResult(state.State.Outcome);
}
