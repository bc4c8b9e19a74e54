namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// How a probe solved to its optimum got there: the L2 strength the validation split chose, whether it converged
/// and in how many iterations, the largest entry of its final gradient, its objective, and the training split's
/// standardisation its weights apply after.
/// </summary>
public sealed record ProbeOptimum(double L2, bool Converged, int Iterations, double GradientNorm, double Objective, FeatureStandardization Standardization)
{
    /// <summary>A solved probe as a <see cref="ProbeResult"/>: its weights on standardised features, its iterations as its epochs.</summary>
    public static ProbeResult ResultOf(OptimalProbeResult solved) =>
        new(solved.Tap, solved.TrainError, solved.TrainLoss, solved.ValidationError, solved.ValidationLoss, solved.TestError, solved.TestLoss,
            solved.Iterations, solved.Iterations, solved.ToStandardisedWeights())
        {
            WarmStarted = solved.WarmStarted,
            Optimum = new ProbeOptimum(solved.L2, solved.Converged, solved.Iterations, solved.GradientNorm, solved.Objective, solved.Standardization),
        };
}
