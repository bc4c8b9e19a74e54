namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// Finds λ with ratio(λ) = E||h(x') − f||² / δ_f² ≈ α. The paper only says λ is "slightly adjusted
/// (manually or automatically)"; this is our scheme. The ratio grows with λ (a larger entropy weight
/// buys larger σ). For a locally linear h the optimum of the loss gives every uncapped unit
/// σ_i² ||∂h/∂x_i||² = λ δ_f² / 2, so ratio = n_free λ / 2 is proportional to λ, and the
/// multiplicative step λ ← λ α / ratio lands on α in one move. A nonlinear h is handled by keeping a
/// bracket [lo, hi] (ratio below / above α) and bisecting it geometrically whenever the step would
/// leave it; each step is limited to a factor of 8.
/// </summary>
public static class LambdaSearch
{
    private const double MaxFactor = 8;

    /// <param name="Lambda">The λ returned: the one that met the tolerance, else the one whose ratio came closest to α.</param>
    /// <param name="Ratio">ratio(Lambda) as measured.</param>
    /// <param name="Rounds">How many λ were tried.</param>
    public sealed record Outcome(double Lambda, double Ratio, int Rounds, bool Converged);

    /// <param name="ratioAt">Learns σ at λ and measures the ratio; called once per round, in order (it may warm-start).</param>
    /// <exception cref="ArgumentException">Bad search settings, all listed.</exception>
    public static Outcome Run(Func<double, double> ratioAt, double alpha, double tolerance, double initialLambda, int maxRounds)
    {
        var problems = new List<string>();
        if (!(alpha > 0 && double.IsFinite(alpha))) problems.Add($"alpha {alpha} must be a positive number");
        if (!(tolerance > 0 && tolerance < 1)) problems.Add($"tolerance {tolerance} must be in (0, 1)");
        if (!(initialLambda > 0 && double.IsFinite(initialLambda))) problems.Add($"initialLambda {initialLambda} must be a positive number");
        if (maxRounds < 1) problems.Add($"maxRounds {maxRounds} must be at least 1");
        if (problems.Count > 0) throw new ArgumentException("λ search: " + string.Join("; ", problems));

        double lo = 0, hi = double.PositiveInfinity;
        var lambda = initialLambda;
        Outcome? best = null;
        for (var round = 1; round <= maxRounds; round++)
        {
            var ratio = ratioAt(lambda);
            if (!double.IsFinite(ratio) || ratio < 0)
                throw new InvalidOperationException($"λ search: the constraint ratio at λ = {lambda:G4} came out {ratio}; lower the learning rate or check the feature");
            var miss = Math.Abs(Math.Log(Math.Max(ratio, double.Epsilon) / alpha));
            if (best is null || miss < Math.Abs(Math.Log(Math.Max(best.Ratio, double.Epsilon) / alpha)))
                best = new Outcome(lambda, ratio, round, false);
            if (Math.Abs(ratio / alpha - 1) <= tolerance)
                return new Outcome(lambda, ratio, round, true);

            if (ratio < alpha) lo = Math.Max(lo, lambda);
            else hi = Math.Min(hi, lambda);
            var factor = ratio > 0 ? Math.Clamp(alpha / ratio, 1 / MaxFactor, MaxFactor) : MaxFactor;
            var next = lambda * factor;
            if (next <= lo || next >= hi)
                next = lo > 0 && double.IsFinite(hi) ? Math.Sqrt(lo * hi) : next;
            lambda = next;
        }
        return best! with { Rounds = maxRounds };
    }
}
