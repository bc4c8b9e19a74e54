using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

public class ProbeClosedFormTests
{
    /// <summary>Patience beyond the epoch budget: only reaching the minimum can end training early.</summary>
    private static readonly ProbeOptions Lbfgs = new() { Optimizer = ProbeOptions.Lbfgs, MaxEpochs = 300, Patience = 1000 };

    /// <summary>Labels in blocks: counts[c] copies of class c.</summary>
    private static long[] Labels(params int[] counts) =>
        counts.SelectMany((n, c) => Enumerable.Repeat((long)c, n)).ToArray();

    private static double Entropy(IEnumerable<int> counts)
    {
        var total = counts.Sum();
        return -counts.Where(n => n > 0).Sum(n => (double)n / total * Math.Log((double)n / total));
    }

    [Fact]
    public void With_one_constant_feature_the_optimal_probe_predicts_the_class_frequencies_and_its_loss_is_the_label_entropy()
    {
        int[] counts = [50, 30, 20];
        var labels = Labels(counts);
        var constant = new FeatureMatrix(Enumerable.Repeat(1f, labels.Length).ToArray(), labels.Length, 1);
        var layer = new LayerFeatures("constant", constant, constant, constant);

        var result = Assert.Single(ProbeTrainer.TrainAll([layer], labels, labels, labels, 3, Lbfgs, null, CancellationToken.None));

        var entropy = Entropy(counts); // 1.0296530...
        Assert.Equal(1.0296530140645737, entropy, 1e-12);
        Assert.Equal(entropy, result.TrainLoss, 1e-4);
        Assert.Equal(entropy, result.ValidationLoss, 1e-4);
        Assert.Equal(entropy, result.TestLoss, 1e-4);
        var probabilities = ProbeProblem.Probabilities(result.Weights, [1f]);
        Assert.Equal(0.5, probabilities[0], 1e-3);
        Assert.Equal(0.3, probabilities[1], 1e-3);
        Assert.Equal(0.2, probabilities[2], 1e-3);
        Assert.Equal(0.5, result.TrainError, 1e-12); // always the majority class
        Assert.True(result.EpochsRun < 100, $"L-BFGS should stop once at the minimum, not after {result.EpochsRun} epochs");
    }

    [Fact]
    public void With_a_one_hot_group_feature_the_optimal_loss_is_the_conditional_entropy_of_the_labels()
    {
        // Three groups, each with its own label distribution; a linear probe on the one-hot group can
        // predict each group's distribution exactly, so its minimal loss is H(Y | group).
        int[][] counts = [[60, 30, 10], [10, 10, 80], [50, 30, 20]];
        var labels = counts.SelectMany(c => Labels(c)).ToArray();
        var groups = counts.SelectMany((c, g) => Enumerable.Repeat(g, c.Sum())).ToArray();
        var data = new float[labels.Length * 3];
        for (var r = 0; r < labels.Length; r++) data[3 * r + groups[r]] = 1;
        var features = new FeatureMatrix(data, labels.Length, 3);
        var layer = new LayerFeatures("group", features, features, features);

        var result = Assert.Single(ProbeTrainer.TrainAll([layer], labels, labels, labels, 3, Lbfgs, null, CancellationToken.None));

        var conditionalEntropy = counts.Sum(c => c.Sum() / 300.0 * Entropy(c));
        Assert.Equal(conditionalEntropy, result.TrainLoss, 1e-4);
        for (var g = 0; g < 3; g++)
        {
            float[] h = [0, 0, 0];
            h[g] = 1;
            var p = ProbeProblem.Probabilities(result.Weights, h);
            for (var c = 0; c < 3; c++) Assert.Equal(counts[g][c] / 100.0, p[c], 1e-3);
        }
        // The probe predicts each group's majority class: 40 + 20 + 50 of 300 are wrong.
        Assert.Equal(110 / 300.0, result.TrainError, 1e-12);
    }

    [Fact]
    public void At_the_optimum_the_mean_predicted_probability_of_each_class_equals_its_training_frequency()
    {
        // The gradient of the mean cross-entropy with respect to the bias is mean(p) - frequency: zero at the minimum.
        var problem = ProbeProblem.Blobs("layer", dimensions: 3, classes: 3, separation: 1, noise: 1, train: 300, validation: 100, test: 100, seed: 3)
            .ValidatedOnTrain();

        var result = Assert.Single(problem.Train(Lbfgs));

        var train = problem.Layer.Train;
        for (var c = 0; c < 3; c++)
        {
            var frequency = problem.TrainLabels.Count(y => y == c) / 300.0;
            var meanProbability = Enumerable.Range(0, 300).Average(r => ProbeProblem.Probabilities(result.Weights, train.Row(r))[c]);
            Assert.Equal(frequency, meanProbability, 1e-3);
        }
        // The reported loss is the loss of the reported weights.
        Assert.Equal(ProbeProblem.MeanCrossEntropy(result.Weights, train, problem.TrainLabels), result.TrainLoss, 1e-5);
    }
}
