using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

public class ProbeEarlyStoppingTests
{
    private static ProbeProblem Separable() =>
        ProbeProblem.Blobs("layer", dimensions: 4, classes: 2, separation: 3, noise: 0.7, train: 200, validation: 100, test: 100, seed: 8);

    [Theory]
    [InlineData(ProbeOptions.RmsProp, 3)]
    [InlineData(ProbeOptions.Adam, 1)]
    [InlineData(ProbeOptions.Lbfgs, 4)]
    public void When_validation_only_gets_worse_training_stops_after_patience_epochs_and_reports_the_epoch_0_probe(string optimizer, int patience)
    {
        // Validation labels are the training labels flipped: every step that helps on train hurts on validation.
        var problem = Separable();
        problem = problem with { ValidationLabels = [.. problem.ValidationLabels.Select(y => 1 - y)] };
        var options = new ProbeOptions { Optimizer = optimizer, LearningRate = 0.01, BatchSize = 32, MaxEpochs = 50, Patience = patience };

        var result = Assert.Single(problem.Train(options));

        Assert.Equal(patience, result.EpochsRun);
        Assert.Equal(0, result.BestEpoch);
        // The epoch-0 probe is all zeros: uniform predictions, loss ln 2 on every split.
        Assert.All(result.Weights.Weights, w => Assert.Equal(0f, w));
        Assert.All(result.Weights.Bias, b => Assert.Equal(0f, b));
        Assert.Equal(Math.Log(2), result.ValidationLoss, 1e-6);
        Assert.Equal(Math.Log(2), result.TrainLoss, 1e-6);
        Assert.Equal(Math.Log(2), result.TestLoss, 1e-6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    public void An_improvement_smaller_than_MinDelta_does_not_count(int patience)
    {
        var options = new ProbeOptions { Optimizer = ProbeOptions.Adam, LearningRate = 0.01, BatchSize = 32, MaxEpochs = 50, Patience = patience, MinDelta = 10 };

        var result = Assert.Single(Separable().Train(options));

        Assert.Equal(patience, result.EpochsRun);
        Assert.Equal(0, result.BestEpoch);
    }

    [Fact]
    public void With_patience_beyond_the_epoch_budget_every_epoch_runs_and_the_best_is_one_of_them()
    {
        var options = new ProbeOptions { Optimizer = ProbeOptions.RmsProp, LearningRate = 0.001, BatchSize = 32, MaxEpochs = 12, Patience = 100 };

        var result = Assert.Single(Separable().Train(options));

        Assert.Equal(12, result.EpochsRun);
        Assert.InRange(result.BestEpoch, 1, result.EpochsRun);
        Assert.True(result.ValidationLoss < Math.Log(2), $"validation loss {result.ValidationLoss}");
    }

    [Fact]
    public void Stopping_early_keeps_the_best_epoch_not_the_last()
    {
        // Labels independent of the features: the probe memorises noise, so validation loss turns up
        // after a few epochs while training loss keeps falling. The reported probe is the best one.
        var problem = ProbeProblem.IndependentLabels("layer", dimensions: 20, classes: 2, train: 60, validation: 400, test: 100, seed: 9);
        var options = new ProbeOptions { Optimizer = ProbeOptions.Adam, LearningRate = 0.05, BatchSize = 10, MaxEpochs = 200, Patience = 5 };

        var result = Assert.Single(problem.Train(options));

        Assert.True(result.EpochsRun < options.MaxEpochs, $"ran all {result.EpochsRun} epochs");
        Assert.Equal(result.BestEpoch + options.Patience, result.EpochsRun);
        Assert.Equal(ProbeProblem.MeanCrossEntropy(result.Weights, problem.Layer.Validation, problem.ValidationLabels), result.ValidationLoss, 1e-5);
    }
}
