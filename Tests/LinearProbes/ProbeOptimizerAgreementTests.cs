using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

public class ProbeOptimizerAgreementTests
{
    [Fact]
    public void Lbfgs_RmsProp_and_Adam_reach_the_same_optimal_training_loss_on_a_small_convex_problem()
    {
        // Overlapping blobs: not separable, so the cross-entropy has a finite minimum. Validating on the
        // training split makes early stopping keep the lowest training loss each optimiser reached.
        var problem = ProbeProblem.Blobs("layer", dimensions: 2, classes: 3, separation: 1.5, noise: 1, train: 200, validation: 1, test: 1, seed: 4)
            .ValidatedOnTrain();

        var lbfgs = Assert.Single(problem.Train(new ProbeOptions { Optimizer = ProbeOptions.Lbfgs, MaxEpochs = 200, Patience = 10 }));
        var adam = Assert.Single(problem.Train(new ProbeOptions { Optimizer = ProbeOptions.Adam, LearningRate = 0.05, BatchSize = 200, MaxEpochs = 600, Patience = 600 }));
        var rmsProp = Assert.Single(problem.Train(new ProbeOptions { Optimizer = ProbeOptions.RmsProp, LearningRate = 0.01, BatchSize = 200, MaxEpochs = 600, Patience = 600 }));

        Assert.True(lbfgs.TrainLoss < 0.9 * Math.Log(3), $"the problem should be learnable: loss {lbfgs.TrainLoss}");
        Assert.Equal(lbfgs.TrainLoss, adam.TrainLoss, 1e-3);
        Assert.Equal(lbfgs.TrainLoss, rmsProp.TrainLoss, 1e-3);
        // Nothing beats the minimum by more than float rounding.
        Assert.True(adam.TrainLoss >= lbfgs.TrainLoss - 1e-5 && rmsProp.TrainLoss >= lbfgs.TrainLoss - 1e-5);
    }
}
