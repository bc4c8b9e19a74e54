namespace ProbeGrid.Grains.Placement;

/// <summary>Places a grain on the silo its key names (SiloAddress.ToParsableString): for per-silo reporters.</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    public static SiloPinnedPlacement Instance { get; } = new();
}
