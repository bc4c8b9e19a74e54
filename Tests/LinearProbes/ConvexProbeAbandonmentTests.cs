using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>Heads of the L2 grid that cannot be chosen stop early, and the choice is the one the whole grid makes.</summary>
public class ConvexProbeAbandonmentTests
{
    private static readonly double[] Grid = [1e-4, 1e-3, 1e-2, 1e-1, 1];

    [Fact]
    public void Heads_beyond_a_converged_head_that_validates_worse_than_the_best_are_losing_on_either_side()
    {
        int[] active = [0, 1, 4];
        // Best at 1e-2; 1e-1 validates worse, so 1 (beyond it) cannot win; nothing below 1e-2 has validated worse yet.
        Assert.Equal([4], ConvexProbeSolver.Losing(Grid, new Dictionary<int, double> { [2] = 0.5, [3] = 0.6 }, active).Order());
        // Best at 1e-1 (active 4 is beyond no worse head); 1e-2 validates worse, so 1e-3 and 1e-4 cannot win.
        Assert.Equal([0, 1], ConvexProbeSolver.Losing(Grid, new Dictionary<int, double> { [2] = 0.7, [3] = 0.6 }, active).Order());
        // One validated head, or heads that tie, say nothing about the rest.
        Assert.Empty(ConvexProbeSolver.Losing(Grid, new Dictionary<int, double> { [3] = 0.6 }, active));
        Assert.Empty(ConvexProbeSolver.Losing(Grid, new Dictionary<int, double> { [2] = 0.6, [3] = 0.6 }, active));
    }

    [Fact]
    public void Abandoning_the_losing_heads_chooses_the_same_probe_as_running_every_head_to_its_optimum()
    {
        // 40 noisy dimensions and 60 training samples: small λ overfit, large underfit; the optimum lies inside a wide grid.
        var problem = ProbeProblem.Blobs("layer", dimensions: 40, classes: 4, separation: 1.2, noise: 1, train: 60, validation: 600, test: 100, seed: 4);
        double[] grid = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1, 10, 100];
        var options = new OptimalProbeOptions { L2Grid = grid, GradientTolerance = 1e-9 };

        var (every, _) = ConvexProbeL2GridTests.Solve(problem, options with { AbandonLosingStrengths = false });
        var (pruned, _) = ConvexProbeL2GridTests.Solve(problem, options);

        Assert.Equal(every.L2, pruned.L2);
        Assert.Equal(every.Objective, pruned.Objective, 1e-12);
        for (var i = 0; i < every.Weights.Length; i++) Assert.Equal(every.Weights[i], pruned.Weights[i], 1e-9);
        Assert.Equal(every.TestError, pruned.TestError);
        Assert.All(every.Candidates, c => Assert.True(c.Converged, $"λ = {c.L2} stopped by {c.StopReason}"));

        // The small-λ heads (overfitting, the slowest to converge) were abandoned, each before its own optimum.
        var abandoned = Enumerable.Range(0, grid.Length).Where(k => pruned.Candidates[k].StopReason == ProbeStopReason.Abandoned).ToList();
        Assert.Contains(0, abandoned);
        Assert.All(abandoned, k => Assert.True(pruned.Candidates[k].Iterations < every.Candidates[k].Iterations,
            $"λ = {grid[k]} was abandoned after {pruned.Candidates[k].Iterations} iterations, converged alone in {every.Candidates[k].Iterations}"));
        // Every abandoned head lies beyond a converged head that validates worse than the chosen one.
        Assert.All(abandoned, k => Assert.Contains(pruned.Candidates, c => c.Converged && c.ValidationLoss > pruned.ValidationLoss
            && (grid[k] < c.L2 && c.L2 < pruned.L2 || grid[k] > c.L2 && c.L2 > pruned.L2)));
        Assert.True(pruned.Candidates.Sum(c => c.Iterations) < every.Candidates.Sum(c => c.Iterations));
    }
}
