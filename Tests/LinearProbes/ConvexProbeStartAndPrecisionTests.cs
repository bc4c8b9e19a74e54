using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>Warm starts, float32 and bad input of the optimal probe.</summary>
public class ConvexProbeStartAndPrecisionTests
{
    private static readonly ProbeProblem Problem =
        ProbeProblem.Blobs("layer", dimensions: 6, classes: 4, separation: 1.5, noise: 1, train: 300, validation: 100, test: 100, seed: 21);

    private static OptimalProbeResult Solve(OptimalProbeOptions options, ProbeWeights? warmStart = null) =>
        ConvexProbeSolver.Solve(Problem.Layer, ProbeTargets.Classes(Problem.TrainLabels), ProbeTargets.Classes(Problem.ValidationLabels),
            ProbeTargets.Classes(Problem.TestLabels), Problem.Classes, options, warmStart);

    [Fact]
    public void Warm_started_at_its_own_optimum_a_probe_stops_at_once_with_the_same_weights()
    {
        var options = new OptimalProbeOptions { L2Grid = [0.01], GradientTolerance = 1e-6 };
        var cold = Solve(options);

        var warm = Solve(options with { GradientTolerance = 1e-4 }, cold.ToStandardisedWeights());

        Assert.True(warm.WarmStarted);
        Assert.False(cold.WarmStarted);
        Assert.True(cold.Iterations > 5, $"the cold start took {cold.Iterations} iterations: too easy to tell a warm start from it");
        Assert.Equal(0, warm.Iterations); // float32 rounding of the start leaves a gradient far below 1e-4
        for (var i = 0; i < cold.Weights.Length; i++) Assert.Equal(cold.Weights[i], warm.Weights[i], 1e-6);
    }

    [Fact]
    public void Float32_reaches_the_float64_optimum_within_what_its_gradient_tolerance_allows()
    {
        // Strong convexity λ bounds the distance to the optimum by ‖g‖/λ: 1e-4 / 0.1 = 1e-3 per entry at most.
        var f64 = Solve(new OptimalProbeOptions { L2Grid = [0.1], GradientTolerance = 1e-10, ObjectiveTolerance = 0 });
        var f32 = Solve(new OptimalProbeOptions { L2Grid = [0.1], GradientTolerance = 1e-4, ObjectiveTolerance = 1e-7, DoublePrecision = false });

        Assert.True(f32.Converged, $"float32 stopped by {f32.StopReason}");
        for (var i = 0; i < f64.Weights.Length; i++) Assert.Equal(f64.Weights[i], f32.Weights[i], 1e-3);
        Assert.Equal(f64.Objective, f32.Objective, 1e-6);
        Assert.Equal(f64.TestError, f32.TestError, 0.011); // at most one of 100 test samples flips
    }

    [Fact]
    public void Bad_options_and_mismatched_targets_are_refused_with_every_problem_named()
    {
        var error = Assert.Throws<ArgumentException>(() => ConvexProbeSolver.Solve(Problem.Layer, ProbeTargets.Classes([0, 1]),
            ProbeTargets.Classes(Problem.ValidationLabels), ProbeTargets.Classes(Problem.TestLabels), Problem.Classes,
            new OptimalProbeOptions { L2Grid = [0.1, -1], MaxIterations = 0 }));

        Assert.Contains("l2Grid", error.Message);
        Assert.Contains("maxIterations 0", error.Message);
        Assert.Contains("300/100/100 rows but the targets number 2/100/100", error.Message);
        Assert.Contains("gradientTolerance and objectiveTolerance",
            Assert.Single(new OptimalProbeOptions { GradientTolerance = 0, ObjectiveTolerance = 0 }.Validate()));
    }
}
