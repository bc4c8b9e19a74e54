namespace ProbeGrid.GrainsInterfaces.Sweeps;

/// <summary>
/// Identifies one unit of a sweep: one analysis of one layer of one checkpoint, in one repeat.
/// Results are recorded once per key, so a unit delivered twice is counted once.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UnitKey(
    [property: Id(0)] string Checkpoint,
    [property: Id(1)] string Layer,
    [property: Id(2)] string Analysis,
    [property: Id(3)] int Repeat)
{
    public override string ToString() => $"{Checkpoint}/{Layer}/{Analysis}/r{Repeat}";
}
