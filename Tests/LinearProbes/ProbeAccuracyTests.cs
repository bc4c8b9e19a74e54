using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

public class ProbeAccuracyTests
{
    private static ProbeOptions Options(string optimizer) => new()
    {
        Optimizer = optimizer,
        LearningRate = 0.01,
        BatchSize = 32,
        MaxEpochs = 30,
        Patience = 5,
        Seed = 1,
    };

    [Theory]
    [InlineData(ProbeOptions.RmsProp)]
    [InlineData(ProbeOptions.Adam)]
    [InlineData(ProbeOptions.Lbfgs)]
    public void On_linearly_separable_blobs_the_probe_makes_no_errors_on_train_or_test(string optimizer)
    {
        var problem = ProbeProblem.Blobs("layer", dimensions: 5, classes: 3, separation: 4, noise: 0.5, train: 300, validation: 100, test: 300, seed: 1);

        var result = Assert.Single(problem.Train(Options(optimizer)));

        Assert.Equal("layer", result.Tap);
        Assert.Equal(0, result.TrainError);
        Assert.Equal(0, result.ValidationError);
        Assert.True(result.TestError <= 1.0 / 300, $"test error {result.TestError}");
        Assert.True(result.TrainLoss < 0.1, $"train loss {result.TrainLoss}");
        Assert.Equal((5, 3, 15, 3), (result.Weights.Inputs, result.Weights.Classes, result.Weights.Weights.Length, result.Weights.Bias.Length));
    }

    [Theory]
    [InlineData(ProbeOptions.RmsProp)]
    [InlineData(ProbeOptions.Adam)]
    [InlineData(ProbeOptions.Lbfgs)]
    public void With_labels_independent_of_the_features_the_test_error_is_chance(string optimizer)
    {
        const int classes = 4;
        var problem = ProbeProblem.IndependentLabels("layer", dimensions: 8, classes, train: 400, validation: 400, test: 2000, seed: 2);

        var result = Assert.Single(problem.Train(Options(optimizer)));

        // Chance is 1 - 1/C = 0.75; the binomial standard deviation on 2000 test items is 0.01.
        Assert.InRange(result.TestError, 0.71, 0.79);
        // No probe predicts unseen labels better than the uniform distribution does in expectation.
        Assert.True(result.TestLoss > Math.Log(classes) - 0.02, $"test loss {result.TestLoss} below ln 4 = {Math.Log(classes)}");
    }
}
