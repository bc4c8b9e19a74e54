using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>Sigmoid probes of label sets (the Wasserstein paper's internal classifiers) against closed forms.</summary>
public class ProbeLabelSetTests
{
    private const int Classes = 3;

    /// <summary>Ten samples: class 0 in six, class 1 in three, class 2 in two; sets {0,1}x3, {0}x3, {2}x2, {}x2.</summary>
    private static readonly float[] Sets =
    [
        1, 1, 0, 1, 1, 0, 1, 1, 0,
        1, 0, 0, 1, 0, 0, 1, 0, 0,
        0, 0, 1, 0, 0, 1,
        0, 0, 0, 0, 0, 0,
    ];

    private static double BinaryEntropy(double q) => -(q * Math.Log(q) + (1 - q) * Math.Log(1 - q));

    private static LayerFeatures Constant(int rows)
    {
        var constant = new FeatureMatrix(Enumerable.Repeat(1f, rows).ToArray(), rows, 1);
        return new LayerFeatures("constant", constant, constant, constant);
    }

    [Theory]
    [InlineData(ProbeOptions.Lbfgs, 0.0)]
    [InlineData(ProbeOptions.Sgd, 0.9)]
    public void With_one_constant_feature_the_optimal_sigmoid_probe_predicts_each_class_frequency(string optimizer, double momentum)
    {
        var targets = ProbeTargets.Sets(Sets, Classes);
        var options = new ProbeOptions { Optimizer = optimizer, Momentum = momentum, LearningRate = 0.05, BatchSize = 10, MaxEpochs = 2000, Patience = 2000 };

        var result = Assert.Single(ProbeTrainer.TrainAll([Constant(10)], targets, targets, targets, Classes, options, null, CancellationToken.None));

        // The loss is the mean over classes of the binary entropy of each class's frequency.
        var expected = (BinaryEntropy(0.6) + BinaryEntropy(0.3) + BinaryEntropy(0.2)) / 3;
        Assert.Equal(0.5947594642007793, expected, 1e-12);
        Assert.Equal(expected, result.TrainLoss, 1e-3);
        var p = ProbePredictor.Probabilities(new FeatureMatrix([1f], 1, 1), result.Weights, multiLabel: true);
        Assert.Equal(0.6, p[0], 2e-2);
        Assert.Equal(0.3, p[1], 2e-2);
        Assert.Equal(0.2, p[2], 2e-2);
        // The predicted set is always {0}: right only for the three samples whose set is exactly {0}.
        Assert.Equal(0.7, result.TrainError, 1e-12);
    }

    [Fact]
    public void Zero_weights_start_at_ln2()
    {
        var targets = ProbeTargets.Sets(Sets, Classes);
        var options = new ProbeOptions { Optimizer = ProbeOptions.Sgd, LearningRate = 1e-9, MaxEpochs = 1, Patience = 1 };
        var result = Assert.Single(ProbeTrainer.TrainAll([Constant(10)], targets, targets, targets, Classes, options, null, CancellationToken.None));
        Assert.Equal(Math.Log(2), result.ValidationLoss, 1e-6);
        Assert.Equal(0, result.BestEpoch);
    }

    [Fact]
    public void Predicted_probabilities_are_the_sigmoid_or_softmax_of_the_affine_map()
    {
        var weights = new ProbeWeights([1f, -1f, 2f, 0.5f], [0.25f, -0.5f], Inputs: 2, Classes: 2);
        var features = new FeatureMatrix([1f, 2f, -1f, 0f], 2, 2);
        // Logits: row 0 = (1 + 4 + 0.25, -1 + 1 - 0.5) = (5.25, -0.5); row 1 = (-1 + 0.25, 1 - 0.5) = (-0.75, 0.5).
        var sigmoid = ProbePredictor.Probabilities(features, weights, multiLabel: true);
        double S(double z) => 1 / (1 + Math.Exp(-z));
        Assert.Equal([S(5.25), S(-0.5), S(-0.75), S(0.5)], sigmoid.Select(v => (double)v), new Tolerance(1e-6));
        var softmax = ProbePredictor.Probabilities(features, weights, multiLabel: false);
        Assert.Equal(1 / (1 + Math.Exp(-5.75)), softmax[0], 1e-6);
        Assert.Equal(1 / (1 + Math.Exp(-1.25)), softmax[3], 1e-6);
    }

    [Fact]
    public void Label_sets_with_values_other_than_0_and_1_or_mixed_with_classes_are_refused()
    {
        var bad = ProbeTargets.Sets([0.5f, 1f, 0f, 1f, 0f, 0f], Classes);
        var good = ProbeTargets.Sets(Sets[..6], Classes);
        var e = Assert.Throws<ArgumentException>(() => ProbeTrainer.TrainAll([Constant(2)], bad, good, ProbeTargets.Classes([0, 1]), Classes, new ProbeOptions(), null, CancellationToken.None));
        Assert.Contains("train label sets must hold only 0 and 1", e.Message);
        Assert.Contains("not a mix", e.Message);
    }

    [Fact]
    public void Momentum_is_refused_for_adam()
    {
        var problems = new ProbeOptions { Optimizer = ProbeOptions.Adam, Momentum = 0.9 }.Validate();
        Assert.Contains(problems, p => p.Contains("momentum applies to sgd and rmsprop"));
    }
}
