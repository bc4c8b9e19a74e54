using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.GrainsInterfaces.Grains;

/// <summary>
/// One unit: one analysis of one layer of one checkpoint (key: <see cref="GrainKeys.Unit"/>).
/// Placed on the silo of its checkpoint. Its outcome is stored with it, so a unit asked again
/// (a duplicate delivery, or a retry after its caller was lost) answers without recomputing.
/// </summary>
public interface ILayerAnalysisGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs the unit, or returns its stored outcome. Analyses can run for hours: the call has a
    /// long response timeout of its own (see docs/grid.md, "Long units").
    /// </summary>
    [ResponseTimeout("7.00:00:00")]
    Task<UnitOutcome> Run(CheckpointWork work, LayerRef layer, string analysis);

    /// <summary>The stored outcome, or null when the unit has not succeeded yet.</summary>
    Task<UnitOutcome?> GetOutcome();
}
