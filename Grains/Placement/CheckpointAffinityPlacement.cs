namespace ProbeGrid.Grains.Placement;

/// <summary>
/// Places a grain by the checkpoint part of its key (<see cref="GrainsInterfaces.Sweeps.GrainKeys.AffinityOf"/>),
/// so a checkpoint's grain and all its unit grains land on one silo: the one holding its activation cache.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class CheckpointAffinityPlacement : PlacementStrategy
{
    public static CheckpointAffinityPlacement Instance { get; } = new();
}
