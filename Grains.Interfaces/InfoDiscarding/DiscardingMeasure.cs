namespace ProbeGrid.GrainsInterfaces.InfoDiscarding;

/// <summary>One metric (SID or RU) of one sample.</summary>
/// <param name="Total">Layer SID H = Σ_i H_i (or RU Σ_i Ĥ_i).</param>
/// <param name="Concentration">E_{i∉Λ} H_i − E_{i∈Λ} H_i on the pixel map; null where the data set has no object masks.</param>
/// <param name="DeltaF2">δ_f², the feature's variance under N(0, τI) input noise.</param>
/// <param name="Lambda">The λ σ was learned at.</param>
/// <param name="Ratio">Achieved E||h(x') − f||² / δ_f² (the target is α).</param>
/// <param name="Converged">Whether the ratio came within the tolerance of α.</param>
/// <param name="Capped">Input units whose σ stopped at the cap (their H_i is a lower bound).</param>
/// <param name="Pixels">H_i per pixel (the mean over channels).</param>
[GenerateSerializer, Immutable]
public sealed record DiscardingMeasure(
    [property: Id(0)] double Total,
    [property: Id(1)] double? Concentration,
    [property: Id(2)] double DeltaF2,
    [property: Id(3)] double Lambda,
    [property: Id(4)] double Ratio,
    [property: Id(5)] bool Converged,
    [property: Id(6)] int Capped,
    [property: Id(7)] ImmutableArray<float> Pixels);
