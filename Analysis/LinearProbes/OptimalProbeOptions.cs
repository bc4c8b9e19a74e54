namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// How <see cref="ConvexProbeSolver"/> solves a layer's probe to its optimum: the L2 strengths tried (all in
/// one pass, the validation split picks one), when a head counts as converged, and the floating-point width.
/// </summary>
public sealed record OptimalProbeOptions
{
    /// <summary>
    /// One per decade, 1e-6 to 1e2: on standardised features 1e-6 barely regularises (sklearn C = 1/(n·λ) ≈ 200
    /// at n = 5000) and 1e2 shrinks W to almost zero, so the validation optimum lies inside the grid.
    /// </summary>
    public static IReadOnlyList<double> DefaultL2Grid { get; } = Enumerable.Range(-6, 9).Select(e => Math.Pow(10, e)).ToArray();

    /// <summary>The candidate strengths λ of the penalty (λ/2)·‖W‖²; every one is trained, the validation split picks one.</summary>
    public IReadOnlyList<double> L2Grid { get; init; } = DefaultL2Grid;

    /// <summary>
    /// A head has converged when the largest entry of its objective's gradient is at most this (features are standardised, so
    /// it is scale-free): scikit-learn's default <c>tol</c> for the same test. On the demo's taps 1e-5 costs 2.3x the time for
    /// objectives lower by 2e-4 (relative) and test errors within one test sample of these.
    /// </summary>
    public double GradientTolerance { get; init; } = 1e-4;

    /// <summary>
    /// Or when one iteration lowers the objective f by at most this, relative to max(|f|, 1) (scipy L-BFGS-B's ftol rule).
    /// 0 turns the rule off; float32 cannot resolve changes below about 1e-7.
    /// </summary>
    public double ObjectiveTolerance { get; init; } = 1e-10;

    /// <summary>Iterations after which a head that has not converged stops and is reported as not converged.</summary>
    public int MaxIterations { get; init; } = 2000;

    /// <summary>Curvature pairs L-BFGS keeps per head.</summary>
    public int HistorySize { get; init; } = 10;

    /// <summary>
    /// Start every L-BFGS step from the curvature model c·Σ + λ·I of the standardised features (the default; see
    /// <see cref="CovariancePreconditioner"/>) rather than from a multiple of the identity. The optimum is the same;
    /// turning it off only serves to measure what it saves.
    /// </summary>
    public bool Preconditioned { get; init; } = true;

    /// <summary>
    /// Stop the heads that cannot be chosen (the default): once a converged head validates worse than the best converged one,
    /// the heads beyond it on the λ grid are abandoned, as validation loss rises on both sides of its minimum. The small-λ
    /// heads are the slowest to converge and are almost never chosen; off, every head runs to its optimum.
    /// </summary>
    public bool AbandonLosingStrengths { get; init; } = true;

    /// <summary>Solve in float64 (the default: the tolerances above need it) rather than float32 (faster, tolerances ≥ 1e-4).</summary>
    public bool DoublePrecision { get; init; } = true;

    /// <summary>Every problem, each naming the parameter and the accepted values.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (L2Grid is null || L2Grid.Count == 0) problems.Add("l2Grid must hold at least one strength");
        else if (L2Grid.Any(l => !(l > 0 && double.IsFinite(l)))) problems.Add("every l2Grid value must be a positive number (a strictly convex problem has one optimum)");
        else if (L2Grid.Distinct().Count() != L2Grid.Count) problems.Add("l2Grid lists a strength twice");
        if (!(GradientTolerance >= 0 && double.IsFinite(GradientTolerance))) problems.Add($"gradientTolerance {GradientTolerance} must be zero or positive");
        if (!(ObjectiveTolerance >= 0 && double.IsFinite(ObjectiveTolerance))) problems.Add($"objectiveTolerance {ObjectiveTolerance} must be zero or positive");
        if (GradientTolerance == 0 && ObjectiveTolerance == 0) problems.Add("gradientTolerance and objectiveTolerance are both 0: give at least one a positive value, or no head can converge");
        if (MaxIterations < 1) problems.Add($"maxIterations {MaxIterations} must be at least 1");
        if (HistorySize < 1) problems.Add($"historySize {HistorySize} must be at least 1");
        return problems;
    }
}
