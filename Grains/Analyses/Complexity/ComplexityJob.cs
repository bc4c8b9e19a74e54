using ProbeGrid.Grains.Compute;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The executor half of a complexity unit: loads the network, the data and the peers, takes the layer's full
/// feature (no reduction) on the unit's samples, and hands them to <see cref="ComplexityDecomposition"/>. The games
/// are evaluated by Shapley shards afterwards. Runs synchronously on the calling (executor) thread.
/// </summary>
public sealed class ComplexityJob(DatasetProvider datasets)
{
    public ComplexityDecomposition Run(JobInputs inputs, LayerRef layer, ComplexitySettings settings, torch.Device device, CancellationToken ct)
    {
        var data = datasets.Get(inputs.Dataset, inputs.Repeat);
        var samples = ComplexitySamples.From(data, settings.FitSamples, settings.GameSamples);

        long[] featureShape;
        float[] fitFeature, trainFeature, testFeature;
        using (var model = ModelLoader.For(inputs, device))
        {
            featureShape = model.TapShapes(data.SampleShape)[layer.Name];
            fitFeature = FullFeature(model, samples.Fit, layer, inputs, ct);
            // The layer's feature is finite, but the games run it through the layers above: a NaN there would make every loss NaN.
            if (NonFiniteParameter.FirstIn(model) is { } bad)
                throw new CheckpointException(inputs.Checkpoint.Path ?? inputs.Checkpoint.Name,
                    $"its parameter {bad.Name} holds {NonFiniteParameter.Describe(bad.Value)} (element {bad.Element}), so the losses of the complexity games played through the network above '{layer.Name}' would not be finite.",
                    "Leave this checkpoint out of the sweep (it has diverged or its weights are corrupt), or retrain with a lower learning rate.");
            trainFeature = FullFeature(model, samples.GameTrain, layer, inputs, ct);
            testFeature = FullFeature(model, samples.GameTest, layer, inputs, ct);
        }

        var peers = settings.Peers.Select(checkpoint =>
        {
            using var peer = LoadPeer(inputs, checkpoint, device);
            return new ComplexityFeatures.PeerFeature(peer.TapShapes(data.SampleShape)[layer.Name], FullFeature(peer, samples.Fit, layer, inputs, ct));
        }).ToList();
        var features = new ComplexityFeatures(featureShape, fitFeature, trainFeature, testFeature, peers);
        return ComplexityDecomposition.Compute(samples, features, settings.Disentangler, settings.Reliability, ct, device);
    }

    private static float[] FullFeature(TappedModel model, LabeledData split, LayerRef layer, JobInputs inputs, CancellationToken ct) =>
        UnreducedFeature.Of(model, split, layer.Name, inputs.BatchSize, ct);

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
}
