namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// Strict information discarding of one layer for one input. Arrays are in the input's row-major order.
/// </summary>
/// <param name="InputShape">The input sample's shape (no batch dimension).</param>
/// <param name="Sigma">The learned noise scale σ_i of every input unit.</param>
/// <param name="PixelEntropy">Pixel-level SID H_i = log σ_i + ½ log(2πe).</param>
/// <param name="LayerEntropy">Layer SID H = Σ_i H_i.</param>
/// <param name="DeltaF2">δ_f², the feature's variance under input noise N(0, τI).</param>
/// <param name="Lambda">The λ σ was learned at.</param>
/// <param name="Ratio">Achieved E||h(x') − f||² / δ_f² (the target is α).</param>
/// <param name="Converged">Whether the ratio came within the tolerance of α (always true at a fixed λ).</param>
/// <param name="Rounds">λ values tried.</param>
/// <param name="Steps">Adam steps in all.</param>
/// <param name="Capped">Units whose σ stopped at <paramref name="SigmaCap"/>: the feature (nearly) ignores them, and their H_i is a lower bound.</param>
public sealed record SidResult(
    long[] InputShape, float[] Sigma, double[] PixelEntropy, double LayerEntropy, double DeltaF2, double Lambda, double Ratio,
    bool Converged, int Rounds, int Steps, bool[] Capped, double SigmaCap)
{
    public int CappedCount => Capped.Count(c => c);
}
