using ProbeGrid.Analysis.Data;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// A layer's feature split by complexity order (METHODS.md section 3), ready for the games: its components and
/// remainder on the game samples with the targets the upper network is scored on, each disentangler's final
/// MSE, the significance ρ_c = Var[c] / Var[f] and Var[c] per order, Var[Δf] / Var[f], and with peers ρ_reliable per order.
/// </summary>
public sealed record ComplexityDecomposition(
    long[] FeatureShape,
    FeatureComponents Train,
    FeatureComponents Test,
    UpperNetworkLoss.Targets TrainTargets,
    UpperNetworkLoss.Targets TestTargets,
    double[] MimicLosses,
    double[] Significance,
    double[] ComponentVariances,
    double RemainderShare,
    double[]? Reliability)
{
    /// <summary>
    /// Trains one disentangler per order on the fit samples, decomposes the feature on both game sets and, given
    /// peers, measures each order's reliability on the game's training samples. Runs synchronously on the calling thread.
    /// </summary>
    /// <param name="reliability">The shared-trunk training (used only with <see cref="ComplexityFeatures.Peers"/>).</param>
    /// <exception cref="ArgumentException">Bad options or shapes, all listed by the trainer that met them.</exception>
    public static ComplexityDecomposition Compute(
        ComplexitySamples samples, ComplexityFeatures features, DisentanglerOptions disentangler, ReliabilityOptions reliability,
        CancellationToken ct, Device? device = null)
    {
        var fit = new DisentanglerTrainer.Samples("fit", samples.Fit.Inputs, samples.Fit.Count);
        var gameTrain = new DisentanglerTrainer.Samples("train", samples.GameTrain.Inputs, samples.GameTrain.Count);
        var gameTest = new DisentanglerTrainer.Samples("test", samples.GameTest.Inputs, samples.GameTest.Count);
        var fits = DisentanglerTrainer.Train(fit, features.Fit, samples.SampleShape, features.Shape, [gameTrain, gameTest], disentangler, ct, device);
        var reliabilities = features.Peers.Count == 0 ? null : Reliabilities(samples, features, fit, gameTrain, fits, reliability, ct, device);

        var train = FeatureComponents.Decompose(features.Train, gameTrain.Count, fits.Select(f => (f.Order, f.Mimics["train"])).ToList());
        var test = FeatureComponents.Decompose(features.Test, gameTest.Count, fits.Select(f => (f.Order, f.Mimics["test"])).ToList());
        var total = FeatureComponents.Variance(features.Train, train.Samples, train.Dimensions);
        return new ComplexityDecomposition(
            features.Shape, train, test, TargetsOf(samples.GameTrain), TargetsOf(samples.GameTest),
            fits.Select(f => f.TrainingLoss).ToArray(),
            train.Significance(),
            train.ComponentVariances(),
            total > 0 ? FeatureComponents.Variance(train.Remainder, train.Samples, train.Dimensions) / total : 0,
            reliabilities);
    }

    /// <summary>ρ_reliable per order on the game's training samples: the analysed network's feature first, then each peer's.</summary>
    private static double[] Reliabilities(
        ComplexitySamples samples, ComplexityFeatures features, DisentanglerTrainer.Samples fit, DisentanglerTrainer.Samples gameTrain,
        IReadOnlyList<DisentanglerTrainer.Fit> fits, ReliabilityOptions options, CancellationToken ct, Device? device)
    {
        var reliable = ReliabilityTrainer.Train(
            fit, [features.Fit, .. features.Peers.Select(p => p.Fit)], samples.SampleShape, [features.Shape, .. features.Peers.Select(p => p.Shape)],
            [gameTrain], options, ct, device);
        return FeatureReliability.Ratios(reliable, fits, gameTrain.Name, gameTrain.Count).Select(r => r.Reliability).ToArray();
    }

    /// <summary>What the upper network's loss compares its output with, by the data's target kind.</summary>
    private static UpperNetworkLoss.Targets TargetsOf(LabeledData split) => split.Kind switch
    {
        TargetKind.Regression => new(null, split.Targets, split.TargetShape!),
        TargetKind.LabelSet => new(null, split.LabelSets, [split.ClassCount]),
        _ => new(split.Labels, null, []),
    };
}
