using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>The L2 grid trains in one pass with each head as if alone, and the validation split picks the strength.</summary>
public class ConvexProbeL2GridTests
{
    private static readonly double[] Grid = [1e-4, 1e-3, 1e-2, 1e-1, 1];

    // Every head runs to its optimum here: abandoning the losing ones has tests of its own (ConvexProbeAbandonmentTests).
    private static OptimalProbeOptions Tight(params double[] l2) =>
        new() { L2Grid = l2, GradientTolerance = 1e-11, ObjectiveTolerance = 0, AbandonLosingStrengths = false };

    internal static (OptimalProbeResult Result, double[][] Heads) Solve(ProbeProblem problem, OptimalProbeOptions options)
    {
        double[][] heads = [];
        var result = ConvexProbeSolver.Solve(problem.Layer, ProbeTargets.Classes(problem.TrainLabels), ProbeTargets.Classes(problem.ValidationLabels),
            ProbeTargets.Classes(problem.TestLabels), problem.Classes, options, null, CancellationToken.None, null, observed => heads = observed);
        return (result, heads);
    }

    [Fact]
    public void Every_head_of_the_stacked_pass_equals_the_probe_solved_alone_with_its_l2()
    {
        var problem = ProbeProblem.Blobs("layer", dimensions: 6, classes: 4, separation: 1.5, noise: 1, train: 300, validation: 100, test: 100, seed: 21);

        var (together, heads) = Solve(problem, Tight(Grid));

        Assert.Equal(Grid.Length, heads.Length);
        for (var k = 0; k < Grid.Length; k++)
        {
            var (alone, single) = Solve(problem, Tight(Grid[k]));
            var head = Assert.Single(single);
            for (var i = 0; i < head.Length; i++) Assert.Equal(head[i], heads[k][i], 1e-8);
            Assert.Equal(alone.Objective, together.Candidates[k].Objective, 1e-12);
            Assert.True(together.Candidates[k].Converged, $"λ = {Grid[k]} stopped by {together.Candidates[k].StopReason}");
        }
        // A larger λ shrinks W: the heads differ, so the comparison above tells them apart.
        var norms = heads.Select(h => h[..(6 * 4)].Sum(w => w * w)).ToArray();
        for (var k = 1; k < Grid.Length; k++) Assert.True(norms[k] < norms[k - 1], $"‖W‖² {norms[k]} at λ = {Grid[k]} not below {norms[k - 1]}");
    }

    [Fact]
    public void The_validation_best_l2_is_chosen_and_matches_the_l2_whose_probe_alone_has_the_lowest_validation_cross_entropy()
    {
        // 40 noisy dimensions and 60 training samples: a small λ overfits, a large one underfits.
        var problem = ProbeProblem.Blobs("layer", dimensions: 40, classes: 4, separation: 1.2, noise: 1, train: 60, validation: 600, test: 100, seed: 4);
        double[] grid = [1e-4, 1e-3, 1e-2, 3e-2, 1e-1, 3e-1, 1, 10];

        var (result, _) = Solve(problem, new OptimalProbeOptions { L2Grid = grid, GradientTolerance = 1e-9, AbandonLosingStrengths = false });

        // Each λ solved alone, its validation cross-entropy computed here from the weights on raw features.
        var independent = grid.Select(l2 =>
            ProbeProblem.MeanCrossEntropy(Solve(problem, new OptimalProbeOptions { L2Grid = [l2], GradientTolerance = 1e-9 }).Result.ToRawWeights(),
                problem.Layer.Validation, problem.ValidationLabels)).ToArray();
        var best = Array.IndexOf(independent, independent.Min());
        Assert.Equal(grid[best], result.L2);
        Assert.InRange(best, 1, grid.Length - 2); // the constructed case has its optimum inside the grid
        for (var k = 0; k < grid.Length; k++) Assert.Equal(independent[k], result.Candidates[k].ValidationLoss, 1e-5);
        Assert.Equal(result.Candidates[best].ValidationLoss, result.ValidationLoss);
        Assert.Equal(ProbeProblem.MeanCrossEntropy(result.ToRawWeights(), problem.Layer.Test, problem.TestLabels), result.TestLoss, 1e-5);
    }

    [Fact]
    public void Validating_on_the_training_split_chooses_the_smallest_l2()
    {
        // The unpenalised training loss at the optimum rises with λ, so the least regularised head fits the training split best.
        var problem = ProbeProblem.Blobs("layer", dimensions: 5, classes: 3, separation: 1, noise: 1, train: 200, validation: 50, test: 50, seed: 8)
            .ValidatedOnTrain();

        var (result, _) = Solve(problem, new OptimalProbeOptions { L2Grid = Grid });

        Assert.Equal(1e-4, result.L2);
        var losses = result.Candidates.Select(c => c.ValidationLoss).ToArray();
        for (var k = 1; k < losses.Length; k++) Assert.True(losses[k] > losses[k - 1]);
        Assert.Equal(result.TrainLoss, result.ValidationLoss, 1e-12);
    }

    [Fact]
    public void When_every_l2_fits_the_same_probe_the_tie_goes_to_the_largest()
    {
        // A constant feature standardises to 0: W stays 0 under any λ and b fits the class frequencies, so all heads tie.
        var labels = Enumerable.Range(0, 90).Select(i => (long)(i % 3 == 0 ? 0 : i % 3)).ToArray();
        var constant = new FeatureMatrix(Enumerable.Repeat(2.5f, 90).ToArray(), 90, 1);
        var problem = new ProbeProblem(new LayerFeatures("constant", constant, constant, constant), labels, labels, labels, 3);

        var (result, _) = Solve(problem, new OptimalProbeOptions { L2Grid = Grid });

        Assert.Equal(1.0, result.L2);
        Assert.All(result.Candidates, c => Assert.Equal(result.ValidationLoss, c.ValidationLoss, 1e-15));
        Assert.Equal(Math.Log(3), result.ValidationLoss, 1e-9); // one third each: the label entropy
        Assert.Equal([0.0], result.Weights[..1]);
        Assert.Equal(1.0, result.Standardization.Scale[0]); // std 0 is taken as 1
    }
}
