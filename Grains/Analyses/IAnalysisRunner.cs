using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// Computes the units of one analysis for one checkpoint grain (one checkpoint and repeat). Called on the grain's
/// turns, it must only await the executor, never compute itself; several calls interleave (the grain is reentrant),
/// so a runner that batches looks its batch up and starts it within one turn.
/// </summary>
public interface IAnalysisRunner
{
    /// <exception cref="Exception">the unit's analysis failed; the checkpoint grain reports the cause as the unit's outcome.</exception>
    Task<AnalysisOutput> Run(CheckpointWork work, LayerRef layer);
}
