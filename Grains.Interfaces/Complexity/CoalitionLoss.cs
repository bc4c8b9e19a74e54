namespace ProbeGrid.GrainsInterfaces.Complexity;

/// <summary>The mean task loss of the upper network fed Δf + Σ_{i∈S} c^(i), on the game's training and test samples.</summary>
[GenerateSerializer, Immutable]
public sealed record CoalitionLoss(
    [property: Id(0)] uint Coalition,
    [property: Id(1)] double Train,
    [property: Id(2)] double Test);
