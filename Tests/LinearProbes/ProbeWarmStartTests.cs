using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

public class ProbeWarmStartTests
{
    private static readonly ProbeProblem Problem =
        ProbeProblem.Blobs("layer3", dimensions: 4, classes: 3, separation: 1.5, noise: 1, train: 200, validation: 100, test: 100, seed: 10);

    /// <summary>No epoch after 0 can count as better, so the result is the probe as it started.</summary>
    private static readonly ProbeOptions StartingProbe = new() { Optimizer = ProbeOptions.Adam, LearningRate = 0.01, MaxEpochs = 5, Patience = 1, MinDelta = 1e9 };

    private static readonly ProbeOptions Lbfgs = new() { Optimizer = ProbeOptions.Lbfgs, MaxEpochs = 100, Patience = 5 };

    [Fact]
    public void A_warm_start_on_the_same_features_begins_at_the_previous_probe_and_its_validation_loss()
    {
        var previous = Assert.Single(Problem.Train(Lbfgs));

        var warm = Assert.Single(Problem.Train(StartingProbe, new Dictionary<string, ProbeWeights> { ["layer3"] = previous.Weights }));

        Assert.Equal(0, warm.BestEpoch);
        Assert.Equal(previous.ValidationLoss, warm.ValidationLoss, 1e-7);
        Assert.Equal(previous.TrainLoss, warm.TrainLoss, 1e-7);
        Assert.Equal(previous.Weights.Weights, warm.Weights.Weights);
        Assert.Equal(previous.Weights.Bias, warm.Weights.Bias);
        Assert.True(previous.ValidationLoss < Math.Log(3) - 0.1, "the previous probe must differ from a cold start for this test to mean anything");
    }

    [Fact]
    public void A_cold_start_begins_at_zero_weights_with_loss_ln_C()
    {
        var cold = Assert.Single(Problem.Train(StartingProbe));

        Assert.Equal(0, cold.BestEpoch);
        Assert.Equal(Math.Log(3), cold.ValidationLoss, 1e-6);
        Assert.All(cold.Weights.Weights, w => Assert.Equal(0f, w));
    }

    [Theory]
    [InlineData(5, 3)] // the layer got wider (another reduction)
    [InlineData(4, 2)] // another number of classes
    public void Warm_start_weights_of_another_shape_fall_back_to_a_cold_start(int inputs, int classes)
    {
        var mismatched = new ProbeWeights(Enumerable.Repeat(0.5f, inputs * classes).ToArray(), Enumerable.Repeat(1f, classes).ToArray(), inputs, classes);

        var result = Assert.Single(Problem.Train(StartingProbe, new Dictionary<string, ProbeWeights> { ["layer3"] = mismatched }));

        Assert.Equal(Math.Log(3), result.ValidationLoss, 1e-6);
        Assert.All(result.Weights.Weights, w => Assert.Equal(0f, w));
        Assert.All(result.Weights.Bias, b => Assert.Equal(0f, b));
    }

    [Fact]
    public void Warm_start_weights_for_another_layer_are_not_used()
    {
        var previous = Assert.Single(Problem.Train(Lbfgs));

        var result = Assert.Single(Problem.Train(StartingProbe, new Dictionary<string, ProbeWeights> { ["layer4"] = previous.Weights }));

        Assert.Equal(Math.Log(3), result.ValidationLoss, 1e-6);
    }

    [Fact]
    public void Lbfgs_warm_started_at_the_optimum_needs_fewer_epochs_and_ends_no_worse()
    {
        var cold = Assert.Single(Problem.Train(Lbfgs));

        var warm = Assert.Single(Problem.Train(Lbfgs, new Dictionary<string, ProbeWeights> { ["layer3"] = cold.Weights }));

        Assert.True(warm.EpochsRun < cold.EpochsRun, $"warm {warm.EpochsRun} epochs, cold {cold.EpochsRun}");
        Assert.True(warm.ValidationLoss <= cold.ValidationLoss + 1e-7, $"warm {warm.ValidationLoss}, cold {cold.ValidationLoss}");
    }
}
