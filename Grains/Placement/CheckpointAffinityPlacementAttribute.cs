namespace ProbeGrid.Grains.Placement;

/// <summary>Marks a grain class for <see cref="CheckpointAffinityPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class CheckpointAffinityPlacementAttribute() : PlacementAttribute(CheckpointAffinityPlacement.Instance);
