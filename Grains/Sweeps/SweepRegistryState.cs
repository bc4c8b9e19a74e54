namespace ProbeGrid.Grains.Sweeps;

[GenerateSerializer]
public sealed class SweepRegistryState
{
    [Id(0)] public List<string> SweepIds { get; set; } = [];
}
