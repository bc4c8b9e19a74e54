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
        if (state.State.Outcome is { } stored)
        {
            await StoreAgainIfLost(stored, work.SweepId);
            return stored;
        }

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

    /// <summary>
    /// A finished unit is delivered again when its sweep lost the record of it: the sweep's activation died or failed a write
    /// before storing its progress, or storage lost writes it had acknowledged (an emulator killed before it saved, a restored
    /// backup). In the last case this unit's own write may be gone too; this activation still holds the outcome, so it is
    /// stored again rather than lost with the activation. One read per repeated delivery, which is rare.
    /// </summary>
    private async Task StoreAgainIfLost(UnitOutcome outcome, string sweepId)
    {
        await state.ReadStateAsync();
        if (state.RecordExists && state.State.Outcome is not null) return; // providers differ in what a missing record leaves in State
        logger.LogWarning("Unit {Unit} of sweep {SweepId}: storage no longer holds the outcome it acknowledged; storing it again", outcome.Key, sweepId);
        state.State.Outcome = outcome;
        await state.WriteStateAsync();
    }

    public Task<UnitOutcome?> GetOutcome() => Task.FromResult(state.State.Outcome);
}
