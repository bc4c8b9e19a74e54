using ProbeGrid.Grains.Compute;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Transport;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The Wasserstein analysis of one checkpoint: an internal classifier per layer on the frozen
/// features (all layers in one batched pass; sigmoid and binary cross-entropy for label sets,
/// softmax for classes), then the label distributions they predict compared with the targets,
/// sample by sample and layer by layer, and early exit across the layers.
/// </summary>
public static class WassersteinJob
{
    /// <summary>
    /// The classifiers and the report of the layers whose activations are finite (no report when none is),
    /// and where the others were not: those are left out of the comparison across layers, and their units fail.
    /// </summary>
    public sealed record Result(IReadOnlyDictionary<string, ProbeResult> Classifiers, WassersteinReport? Report, IReadOnlyDictionary<string, NonFiniteTap> NonFinite);

    /// <param name="layers">Every layer of the sweep, in depth order: early exit and the sample kinds compare them all (all whose activations are finite).</param>
    /// <param name="standardize">train and apply the classifiers on features standardised with their training split's statistics.</param>
    public static Result Run(
        CheckpointActivations activations,
        IReadOnlyList<LayerRef> layers,
        ProbeOptions classifier,
        WassersteinOptions transport,
        bool standardize,
        torch.Device device,
        CancellationToken ct)
    {
        var finite = activations.Finite(layers);
        if (finite.Count == 0) return new Result(new Dictionary<string, ProbeResult>(), null, activations.NonFinite);
        var features = finite.Select(l => activations.Layers[l.Name]).Select(f => standardize ? Standardised(f) : f).ToDictionary(f => f.Tap);
        var classifiers = ProbeTrainer.TrainAll(
            finite.Select(l => features[l.Name]).ToList(),
            activations.TrainTargets, activations.ValidationTargets, activations.TestTargets,
            activations.ClassCount, classifier, warmStart: null, ct, device);
        var multiLabel = activations.IsMultiLabel;
        var predictions = classifiers.Select(c => new LayerPredictions(
            c.Tap,
            ProbePredictor.Probabilities(features[c.Tap].Validation, c.Weights, multiLabel, device),
            ProbePredictor.Probabilities(features[c.Tap].Test, c.Weights, multiLabel, device))).ToList();
        var report = WassersteinLayerAnalysis.Analyse(
            predictions,
            activations.ValidationTargets.Rows(activations.ClassCount), activations.TestTargets.Rows(activations.ClassCount),
            activations.ClassCount, multiLabel, transport, ct, device);
        return new Result(classifiers.ToDictionary(c => c.Tap), report, activations.NonFinite);
    }

    /// <summary>Every split scaled by the training split's per-feature mean and scale.</summary>
    private static LayerFeatures Standardised(LayerFeatures layer)
    {
        var statistics = FeatureStandardization.Of(layer.Train);
        return new LayerFeatures(layer.Tap, statistics.Apply(layer.Train), statistics.Apply(layer.Validation), statistics.Apply(layer.Test));
    }

    /// <summary>The taps whose internal classifier kept its zero start (best validation loss at epoch 0), in depth order.</summary>
    public static IReadOnlyList<string> UntrainedClassifiers(Result result) =>
        result.Classifiers.Values.Where(c => c.BestEpoch == 0).Select(c => c.Tap).ToList();
}
