namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// How <see cref="SinkhornSolver"/> solves the entropic problem min &lt;T, C&gt; − ε·H(T).
/// METHODS.md writes the regulariser as (1/α)·H(T) with the paper's α = 0.01; read literally that
/// is a weight of 100, under which the plan is nearly the product of the marginals and nothing can
/// underflow. Its warning that small regularisers underflow fits a weight ε = 0.01 (POT's reg = 0.01,
/// Cuturi's usual setting), so ε = 0.01 is the default and the log-domain solver makes it safe.
/// </summary>
public sealed record SinkhornOptions
{
    /// <summary>ε, the weight of the entropy term.</summary>
    public double Epsilon { get; init; } = 0.01;

    /// <summary>Converged when every pair's row marginal is off by at most this in L1 (columns are exact after each update).</summary>
    public double Tolerance { get; init; } = 1e-6;

    public int MaxIterations { get; init; } = 10_000;

    /// <summary>Check convergence every this many iterations (a check costs about one iteration).</summary>
    public int CheckEvery { get; init; } = 10;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!(Epsilon > 0 && double.IsFinite(Epsilon))) problems.Add($"epsilon {Epsilon} must be a positive number (the entropy weight; 0.01 is the paper's)");
        if (!(Tolerance > 0 && double.IsFinite(Tolerance))) problems.Add($"tolerance {Tolerance} must be a positive number");
        if (MaxIterations < 1) problems.Add($"maxIterations {MaxIterations} must be at least 1");
        if (CheckEvery < 1) problems.Add($"checkEvery {CheckEvery} must be at least 1");
        return problems;
    }
}
