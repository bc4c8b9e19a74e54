using ProbeGrid.Grains.Compute;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The executor half of a complexity unit: the layer's full feature f (no reduction) on the fit
/// samples (<see cref="FitSet"/>) and on both game sample sets, one disentangler per order trained to mimic it, and the
/// components by order on the game samples. The games (the upper network on each coalition's feature)
/// are evaluated by Shapley shards afterwards. Runs synchronously on the calling (executor) thread.
/// </summary>
public sealed class ComplexityJob(DatasetProvider datasets)
{
    public sealed record Decomposition(
        long[] FeatureShape,
        FeatureComponents Train,
        FeatureComponents Test,
        UpperNetworkLoss.Targets TrainTargets,
        UpperNetworkLoss.Targets TestTargets,
        double[] MimicLosses,
        double[] Significance,
        double[] ComponentVariances,
        double RemainderShare,
        double[]? Reliability);

    public Decomposition Run(JobInputs inputs, LayerRef layer, ComplexitySettings settings, torch.Device device, CancellationToken ct)
    {
        var data = datasets.Get(inputs.Dataset, inputs.Repeat);
        var fit = FitSet(data, settings.FitSamples);
        var gameTrain = data.Train.Slice(0, Math.Min(settings.GameSamples, data.Train.Count));
        var gameTest = data.Test.Slice(0, Math.Min(settings.GameSamples, data.Test.Count));

        long[] featureShape;
        float[] fitFeature, trainFeature, testFeature;
        using (var model = ModelLoader.For(inputs, device))
        {
            featureShape = model.TapShapes(data.SampleShape)[layer.Name];
            fitFeature = FullFeature(model, fit, layer, inputs, ct);
            // The layer's feature is finite, but the games run it through the layers above: a NaN there would make every loss NaN.
            if (NonFiniteParameter.FirstIn(model) is { } bad)
                throw new CheckpointException(inputs.Checkpoint.Path ?? inputs.Checkpoint.Name,
                    $"its parameter {bad.Name} holds {NonFiniteParameter.Describe(bad.Value)} (element {bad.Element}), so the losses of the complexity games played through the network above '{layer.Name}' would not be finite.",
                    "Leave this checkpoint out of the sweep (it has diverged or its weights are corrupt), or retrain with a lower learning rate.");
            trainFeature = FullFeature(model, gameTrain, layer, inputs, ct);
            testFeature = FullFeature(model, gameTest, layer, inputs, ct);
        }

        var fits = DisentanglerTrainer.Train(
            new DisentanglerTrainer.Samples("fit", fit.Inputs, fit.Count), fitFeature, data.SampleShape, featureShape,
            [new("train", gameTrain.Inputs, gameTrain.Count), new("test", gameTest.Inputs, gameTest.Count)],
            settings.Disentangler, ct, device);
        double[]? reliability = null;
        if (!settings.Peers.IsEmpty)
        {
            // The analysed network's feature first, then each peer's at the same layer, on the same fit samples.
            var features = new List<float[]> { fitFeature };
            var shapes = new List<long[]> { featureShape };
            foreach (var peer in settings.Peers)
            {
                using var model = LoadPeer(inputs, peer, device);
                shapes.Add(model.TapShapes(data.SampleShape)[layer.Name]);
                features.Add(FullFeature(model, fit, layer, inputs, ct));
            }
            var reliable = ReliabilityTrainer.Train(
                new DisentanglerTrainer.Samples("fit", fit.Inputs, fit.Count), features, data.SampleShape, shapes,
                [new("train", gameTrain.Inputs, gameTrain.Count)], settings.Reliability, ct, device);
            reliability = FeatureReliability.Ratios(reliable, fits, "train", gameTrain.Count).Select(r => r.Reliability).ToArray();
        }

        var train = FeatureComponents.Decompose(trainFeature, gameTrain.Count, fits.Select(f => (f.Order, f.Mimics["train"])).ToList());
        var test = FeatureComponents.Decompose(testFeature, gameTest.Count, fits.Select(f => (f.Order, f.Mimics["test"])).ToList());
        var total = FeatureComponents.Variance(trainFeature, train.Samples, train.Dimensions);
        return new Decomposition(
            featureShape, train, test, Targets(gameTrain), Targets(gameTest),
            fits.Select(f => f.TrainingLoss).ToArray(),
            train.Significance(),
            train.ComponentVariances(),
            total > 0 ? FeatureComponents.Variance(train.Remainder, train.Samples, train.Dimensions) / total : 0,
            reliability);
    }

    private static float[] FullFeature(TappedModel model, LabeledData split, LayerRef layer, JobInputs inputs, CancellationToken ct) =>
        UnreducedFeature.Of(model, split, layer.Name, inputs.BatchSize, ct);

    /// <summary>
    /// What the disentanglers learn from: validation samples, topped up with training samples when the
    /// validation split is smaller. Held-out inputs first, so the components are out of sample on the game's
    /// training samples as on its test samples, and the over-fitting game does not see the disentanglers' own fit.
    /// </summary>
    private static LabeledData FitSet(DatasetSplits data, int count)
    {
        var validation = data.Validation.Slice(0, Math.Min(count, data.Validation.Count));
        var rest = Math.Min(count - validation.Count, data.Train.Count);
        return rest > 0 ? validation.Concat(data.Train.Slice(0, rest)) : validation;
    }

    /// <summary>Bytes held at the peak: the data, the feature (and the peers') on the fit samples, and its copies per order on the game samples.</summary>
    public static long EstimateBytes(JobInputs inputs, LayerRef layer, ComplexitySettings settings)
    {
        var orders = settings.Disentangler.Orders.Count;
        return inputs.PeakBytes(inputs.TapSize(layer.Name) * (settings.FitSamples * (1L + settings.Peers.Length) + 2L * settings.GameSamples * (2 * orders + 2)));
    }

    /// <summary>A reliability peer's network (see <see cref="PeerModel"/>) with its checkpoint's weights, on <paramref name="device"/>.</summary>
    private static TappedModel LoadPeer(JobInputs inputs, string checkpoint, torch.Device device)
    {
        var (architecture, parameters) = PeerModel.Describe(checkpoint, inputs.Architecture, inputs.ModelParameters);
        return ModelLoader.Load(inputs.Models, architecture, parameters, checkpoint, inputs.Dataset, seed: 0, device);
    }

    private static UpperNetworkLoss.Targets Targets(LabeledData split) => split.Kind switch
    {
        TargetKind.Regression => new(null, split.Targets, split.TargetShape!),
        TargetKind.LabelSet => new(null, split.LabelSets, [split.ClassCount]),
        _ => new(split.Labels, null, []),
    };
}
