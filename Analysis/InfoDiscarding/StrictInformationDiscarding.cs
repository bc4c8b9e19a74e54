using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// Strict information discarding (SID, the paper's Eq. 3–6): the largest independent Gaussian noise
/// σ∘δ the input can take while the layer's feature stays within α δ_f² of f, by the maximum-entropy
/// principle. Minimises (1/δ_f²) E_δ||h(x + σ∘δ) − f||² − λ Σ log σ_i over log σ, λ set so that the
/// constraint holds. Runs synchronously on the calling thread, a dispose scope per step.
/// </summary>
public static class StrictInformationDiscarding
{
    /// <param name="x">One input sample, without the batch dimension, on the feature's device.</param>
    /// <exception cref="ArgumentException">Bad options or input, all listed; or a feature that does not depend on the input.</exception>
    public static SidResult Estimate(FeatureFunction h, Tensor x, InfoDiscardingOptions options, CancellationToken ct) =>
        Run(h, x, options, null, ct);

    /// <summary>SID at a given λ, no search (the ratio is reported, not enforced).</summary>
    public static SidResult EstimateAtLambda(FeatureFunction h, Tensor x, double lambda, InfoDiscardingOptions options, CancellationToken ct) =>
        Run(h, x, options, lambda, ct);

    /// <summary>SID's entropy term Σ log σ_i (the constant n·C left out).</summary>
    internal static Tensor EntropyTerm(Tensor perturbed, Tensor features, Tensor logSigma) => logSigma.sum();

    private static SidResult Run(FeatureFunction h, Tensor x, InfoDiscardingOptions options, double? lambda, CancellationToken ct)
    {
        var s = ConstrainedSigma.Learn(h, x, options, EntropyTerm, lambda, "SID", ct);
        var pixel = GaussianEntropy.OfSigma(s.Sigma);
        return new SidResult(s.InputShape, s.Sigma, pixel, pixel.Sum(), s.DeltaF2, s.Lambda, s.Ratio, s.Converged, s.Rounds, s.Steps, s.Capped, options.SigmaCap);
    }
}
