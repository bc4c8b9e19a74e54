namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// Reconstruction uncertainty of one layer for one input. Arrays are in the input's row-major order.
/// </summary>
/// <param name="Sigma">The input noise scales the Ĥ were measured at (learned, or given).</param>
/// <param name="PixelUncertainty">Pixel-level RU Ĥ_i = ½ log E(x_i − x̂'_i)² + ½ log(2πe), x̂' = g(h(x + σ∘δ)).</param>
/// <param name="LayerUncertainty">Layer RU Σ_i Ĥ_i.</param>
/// <param name="Lambda">The λ σ was learned at; NaN when σ was given.</param>
/// <param name="Ratio">E||h(x') − f||² / δ_f² at σ (the target is α).</param>
/// <param name="Capped">Units whose σ is at <paramref name="SigmaCap"/>.</param>
public sealed record RuResult(
    long[] InputShape, float[] Sigma, double[] PixelUncertainty, double LayerUncertainty, double DeltaF2, double Lambda, double Ratio,
    bool Converged, int Rounds, int Steps, bool[] Capped, double SigmaCap)
{
    public int CappedCount => Capped.Count(c => c);
}
