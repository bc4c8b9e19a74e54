using ProbeGrid.Grains.Compute;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.GrainsInterfaces.InfoDiscarding;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The second half of an information-discarding unit, run by its shards: loads the test split, the network and the
/// unit's decoder, then runs the paper's per-sample pipeline (<see cref="SampleDiscardingPipeline"/>) on each sample,
/// with its own seed. Runs synchronously on the calling (executor) thread.
/// </summary>
public sealed class DiscardingJob(DatasetProvider datasets)
{
    public IReadOnlyList<SampleDiscarding> Measure(
        JobInputs inputs, string layer, IReadOnlyList<int> samples, byte[] decoderWeights, DiscardingSettings settings,
        torch.Device device, CancellationToken ct)
    {
        var test = datasets.Get(inputs.Dataset, inputs.Repeat).Test;
        var outOfRange = samples.Where(s => s < 0 || s >= test.Count).ToList();
        if (outOfRange.Count > 0)
            throw new ArgumentException($"samples {string.Join(", ", outOfRange)} are beyond the test split's {test.Count}: lower samples or sampleOffset, or enlarge the test split");

        using var model = ModelLoader.For(inputs, device);
        var featureShape = model.TapShapes(test.SampleShape)[layer];
        // The features once, through the extractor, so NaN activations of a corrupt checkpoint are named before σ learns from them.
        var picked = samples.Select(s => test.Slice(s, 1)).Aggregate((a, b) => a.Concat(b));
        UnreducedFeature.Of(model, picked, layer, inputs.BatchSize, ct);

        var h = FeatureFunction.FromTap(model, layer);
        using var decoder = decoderWeights.Length == 0 ? null
            : ReconstructionDecoder.FromBytes(ReconstructionDecoder.AsMap(featureShape), ReconstructionDecoder.AsMap(test.SampleShape), settings.Decoder, decoderWeights);
        decoder?.to(device);
        var g = decoder?.AsFunction(featureShape, test.SampleShape);
        var ruAtSidSigma = settings.Ru == DiscardingAnalysis.RuAtSidSigma;

        var results = new List<SampleDiscarding>();
        foreach (var sample in samples)
        {
            ct.ThrowIfCancellationRequested();
            var input = test.SampleInputs(sample);
            var mask = test.ObjectMasks is null ? null : test.ObjectMask(sample);
            var measured = SampleDiscardingPipeline.Measure(h, g, input, test.SampleShape, mask, DiscardingAnalysis.ForSample(settings, sample), ruAtSidSigma, device, ct);
            var label = test.IsRegression || test.IsMultiLabel ? -1 : test.Labels[sample];
            results.Add(new SampleDiscarding(sample, label, measured.Grid.Height, measured.Grid.Width, [.. measured.InputPixels],
                AsContract(measured.Sid), measured.Ru is { } ru ? AsContract(ru) : null, measured.Saliency));
        }
        return results;
    }

    /// <summary>The wire form of one metric: its map rounded to float, the rest as measured.</summary>
    private static DiscardingMeasure AsContract(DiscardingMeasurement m) =>
        new(m.Total, m.Concentration, m.DeltaF2, m.Lambda, m.Ratio, m.Converged, m.Capped, [.. m.Pixels.Select(v => (float)v)]);

    /// <summary>Bytes held at the peak: the data set, the decoder's weights (and their copy), and σ-learning's chunks of perturbed inputs.</summary>
    public static long EstimateBytes(JobInputs inputs, DiscardingSettings settings, int decoderBytes) =>
        inputs.PeakBytes(4L * inputs.SampleSize * Math.Max(settings.Sigma.Chunk, settings.Sigma.NoiseBatch), 2L * decoderBytes);
}
