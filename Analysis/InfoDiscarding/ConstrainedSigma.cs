using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// σ learned for one input under the constraint E||h(x') − f||² ≈ α δ_f², shared by SID and RU
/// (which differ only in the entropy term): estimates δ_f², then either searches λ
/// (<see cref="LambdaSearch"/>, a round of Adam per λ, warm-started) or fits at a given λ.
/// </summary>
internal static class ConstrainedSigma
{
    public sealed record Solution(
        long[] InputShape, float[] Sigma, bool[] Capped, double DeltaF2, double Lambda, double Ratio, bool Converged, int Rounds, int Steps);

    /// <param name="x">One sample, without the batch dimension.</param>
    /// <param name="fixedLambda">Null searches λ; a value fits at that λ only (one double-length round).</param>
    public static Solution Learn(FeatureFunction h, Tensor x, InfoDiscardingOptions options, EntropyTerm entropy, double? fixedLambda, string analysis, CancellationToken ct)
    {
        var problems = options.Validate().Concat(InputChecks.Problems(x)).ToList();
        if (fixedLambda is { } l && !(l > 0 && double.IsFinite(l))) problems.Add($"lambda {l} must be a positive number");
        if (problems.Count > 0) throw new ArgumentException($"{analysis}: " + string.Join("; ", problems));

        using var scope = torch.NewDisposeScope();
        var batch = x.detach().unsqueeze(0);
        var f = InputChecks.FeatureOf(h, batch);
        var deltaF2 = NormalisingVariance.Estimate(h, x.detach(), options.Tau, options.NormalisingSamples, options.Seed + 1, options.Chunk);
        if (!(deltaF2 > 0) || !double.IsFinite(deltaF2))
            throw new ArgumentException($"{analysis}: the feature '{h.Name}' does not move under input noise of variance τ = {options.Tau} (δ_f² = {deltaF2}): " +
                                        "it ignores this input or is saturated around it; analyse another layer or input, or raise tau.");

        using var learner = new SigmaLearner(h, batch, f, deltaF2, entropy, options);
        var units = x.numel();
        double lambda, ratio;
        bool converged;
        int rounds;
        if (fixedLambda is { } given)
        {
            learner.Fit(given, 2 * options.StepsPerRound, ct);
            (lambda, ratio, converged, rounds) = (given, learner.Ratio(), true, 1);
        }
        else
        {
            var first = true;
            var outcome = LambdaSearch.Run(candidate =>
            {
                // The first round starts from σ = √τ, far from the optimum: it gets twice the steps.
                learner.Fit(candidate, first ? 2 * options.StepsPerRound : options.StepsPerRound, ct);
                first = false;
                return learner.Ratio();
            }, options.Alpha, options.RatioTolerance, options.InitialLambda ?? 2 * options.Alpha / units, options.MaxRounds);
            // The learner holds the σ of the last round; when the search ended unconverged on a worse λ, refit at the best one.
            var lastRatio = learner.Ratio();
            if (!outcome.Converged && Math.Abs(lastRatio - outcome.Ratio) > 1e-12 * Math.Max(1, outcome.Ratio))
            {
                learner.Fit(outcome.Lambda, options.StepsPerRound, ct);
                lastRatio = learner.Ratio();
            }
            (lambda, ratio, converged, rounds) = (outcome.Lambda, lastRatio, outcome.Converged, outcome.Rounds);
        }
        return new Solution(x.shape.ToArray(), learner.Sigma(), learner.Capped(), deltaF2, lambda, ratio, converged, rounds, learner.Steps);
    }
}
