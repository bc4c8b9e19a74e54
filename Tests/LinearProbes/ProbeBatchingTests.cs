using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

public class ProbeBatchingTests
{
    /// <summary>Three layers of one set of samples: a clear signal, a weak one, and none at all, of different widths.</summary>
    private static (LayerFeatures[] Layers, ProbeProblem Problem) ThreeLayers(double noise)
    {
        var problem = ProbeProblem.Blobs("clear", dimensions: 5, classes: 3, separation: 3, noise: noise, train: 240, validation: 120, test: 120, seed: 5);
        var (train, validation, test) = (problem.TrainLabels, problem.ValidationLabels, problem.TestLabels);
        LayerFeatures[] layers =
        [
            problem.Layer,
            ProbeProblem.BlobFeatures("weak", train, validation, test, dimensions: 3, separation: 0.7, noise: 1, seed: 6),
            ProbeProblem.BlobFeatures("none", train, validation, test, dimensions: 7, separation: 0, noise: 1, seed: 7),
        ];
        return (layers, problem);
    }

    private static IReadOnlyList<ProbeResult> Train(IReadOnlyList<LayerFeatures> layers, ProbeProblem problem, ProbeOptions options) =>
        ProbeTrainer.TrainAll(layers, problem.TrainLabels, problem.ValidationLabels, problem.TestLabels, 3, options, null, CancellationToken.None);

    [Theory]
    [InlineData(ProbeOptions.RmsProp)]
    [InlineData(ProbeOptions.Adam)]
    public void Probes_trained_together_follow_exactly_the_path_each_takes_alone(string optimizer)
    {
        var (layers, problem) = ThreeLayers(noise: 1);
        var options = new ProbeOptions { Optimizer = optimizer, LearningRate = 0.05, BatchSize = 32, MaxEpochs = 25, Patience = 2, Seed = 9 };

        var together = Train(layers, problem, options);
        var alone = layers.Select(l => Assert.Single(Train([l], problem, options))).ToList();

        Assert.Equal(["clear", "weak", "none"], together.Select(r => r.Tap));
        // Early stopping ends the layers at different epochs; the others must not be disturbed by it.
        Assert.True(together.Select(r => r.EpochsRun).Distinct().Count() > 1, $"epochs run: {string.Join(", ", together.Select(r => r.EpochsRun))}");
        for (var i = 0; i < layers.Length; i++)
        {
            var (a, b) = (together[i], alone[i]);
            Assert.Equal(b.Tap, a.Tap);
            Assert.Equal(b.EpochsRun, a.EpochsRun);
            Assert.Equal(b.BestEpoch, a.BestEpoch);
            Assert.Equal(b.TrainError, a.TrainError);
            Assert.Equal(b.ValidationError, a.ValidationError);
            Assert.Equal(b.TestError, a.TestError);
            Assert.Equal(b.TrainLoss, a.TrainLoss, 1e-6);
            Assert.Equal(b.ValidationLoss, a.ValidationLoss, 1e-6);
            Assert.Equal(b.TestLoss, a.TestLoss, 1e-6);
            for (var j = 0; j < b.Weights.Weights.Length; j++) Assert.Equal(b.Weights.Weights[j], a.Weights.Weights[j], 1e-6f);
            for (var j = 0; j < b.Weights.Bias.Length; j++) Assert.Equal(b.Weights.Bias[j], a.Weights.Bias[j], 1e-6f);
        }
    }

    [Fact]
    public void Probes_trained_together_by_Lbfgs_reach_the_optimum_each_reaches_alone()
    {
        // L-BFGS couples the layers through its line search and curvature pairs, so the paths differ;
        // the problem is convex, so the minima must not. Overlapping classes keep the minima finite.
        var (layers, problem) = ThreeLayers(noise: 2);
        layers = [.. layers.Select(l => l with { Validation = l.Train })];
        problem = problem with { ValidationLabels = problem.TrainLabels };
        var options = new ProbeOptions { Optimizer = ProbeOptions.Lbfgs, MaxEpochs = 300, Patience = 10 };

        var together = Train(layers, problem, options);
        var alone = layers.Select(l => Assert.Single(Train([l], problem, options))).ToList();

        for (var i = 0; i < layers.Length; i++)
        {
            Assert.Equal(alone[i].Tap, together[i].Tap);
            Assert.Equal(alone[i].TrainLoss, together[i].TrainLoss, 1e-4);
        }
        Assert.True(together[0].TrainLoss < together[1].TrainLoss && together[1].TrainLoss < together[2].TrainLoss);
    }
}
