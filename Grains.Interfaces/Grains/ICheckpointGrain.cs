using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.GrainsInterfaces.Grains;

/// <summary>
/// One checkpoint of one sweep and repeat (key: <see cref="GrainKeys.Checkpoint"/>). Loads the
/// weights once and extracts the activations of all the work's layers once, into the silo's
/// activation cache; serves its layer units, batching work that batches (the probes of all
/// layers are trained in one pass).
/// </summary>
public interface ICheckpointGrain : IGrainWithStringKey
{
    /// <summary>
    /// The outcome of <paramref name="analysis"/> at <paramref name="layer"/>, computed together with the
    /// other layers of <paramref name="work"/>. Failures come back as outcomes with their cause, not as exceptions.
    /// </summary>
    [ResponseTimeout("7.00:00:00")]
    Task<UnitOutcome> Analyse(CheckpointWork work, LayerRef layer, string analysis);
}
