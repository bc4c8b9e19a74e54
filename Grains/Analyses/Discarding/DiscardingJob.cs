using ProbeGrid.Grains.Compute;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.InfoDiscarding;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The second half of an information-discarding unit, run by its shards: for each of some test-split
/// samples, SID's σ learned through the layer (the λ search included), then RU with the unit's decoder,
/// the per-pixel maps and their concentration on the object where the data set marks it. Each sample
/// learns from its own seed. Runs synchronously on the calling (executor) thread.
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
        var (height, width) = PixelGrid(test.SampleShape);

        var results = new List<SampleDiscarding>();
        foreach (var sample in samples)
        {
            ct.ThrowIfCancellationRequested();
            using var scope = torch.NewDisposeScope();
            var input = test.Inputs.AsSpan(sample * test.SampleSize, test.SampleSize).ToArray();
            var x = torch.tensor(input, test.SampleShape, device: device);
            var options = DiscardingAnalysis.ForSample(settings, sample);
            var mask = test.ObjectMasks is null ? null : test.ObjectMask(sample);

            var sid = StrictInformationDiscarding.Estimate(h, x, options, ct);
            var sidMeasure = Measure(sid.PixelEntropy, sid.LayerEntropy, sid.DeltaF2, sid.Lambda, sid.Ratio, sid.Converged, sid.CappedCount, height, width, mask);
            DiscardingMeasure? ruMeasure = null;
            if (g is not null)
            {
                var ru = settings.Ru == DiscardingAnalysis.RuAtSidSigma
                    ? ReconstructionUncertainty.AtSigma(h, g, x, sid.Sigma, options)
                    : ReconstructionUncertainty.Estimate(h, g, x, options, ct);
                ruMeasure = Measure(ru.PixelUncertainty, ru.LayerUncertainty, ru.DeltaF2, ru.Lambda, ru.Ratio, ru.Converged, ru.CappedCount, height, width, mask);
            }
            var label = test.IsRegression || test.IsMultiLabel ? -1 : test.Labels[sample];
            var saliency = GradientSaliency.OfInput(h, x).Average(v => (double)v);
            results.Add(new SampleDiscarding(sample, label, height, width, [.. ChannelMean(input, height * width)], sidMeasure, ruMeasure, saliency));
        }
        return results;
    }

    private static DiscardingMeasure Measure(
        double[] perUnit, double total, double deltaF2, double lambda, double ratio, bool converged, int capped, int height, int width, bool[]? mask)
    {
        var pixels = ChannelMean(perUnit, height * width);
        double? concentration = mask is null ? null : Concentration.Of(pixels, mask);
        return new DiscardingMeasure(total, concentration, deltaF2, lambda, ratio, converged, capped, [.. pixels.Select(v => (float)v)]);
    }

    /// <summary>The pixel grid of a sample: [C, H, W] and [H, W] are H x W; a flat sample of D values is 1 x D.</summary>
    public static (int Height, int Width) PixelGrid(long[] sampleShape) => sampleShape.Length >= 2
        ? ((int)sampleShape[^2], (int)sampleShape[^1])
        : (1, (int)sampleShape.Aggregate(1L, (a, b) => a * b));

    /// <summary>Values [C, pixels] row-major to the mean over C per pixel.</summary>
    private static double[] ChannelMean(IReadOnlyList<double> values, int pixels)
    {
        var channels = values.Count / pixels;
        var mean = new double[pixels];
        for (var c = 0; c < channels; c++)
            for (var p = 0; p < pixels; p++)
                mean[p] += values[c * pixels + p] / channels;
        return mean;
    }

    private static float[] ChannelMean(float[] values, int pixels) =>
        ChannelMean(values.Select(v => (double)v).ToArray(), pixels).Select(v => (float)v).ToArray();

    /// <summary>Bytes held at the peak: the data set, the decoder's weights (and their copy), and σ-learning's chunks of perturbed inputs.</summary>
    public static long EstimateBytes(JobInputs inputs, DiscardingSettings settings, int decoderBytes) =>
        inputs.PeakBytes(4L * inputs.SampleSize * Math.Max(settings.Sigma.Chunk, settings.Sigma.NoiseBatch), 2L * decoderBytes);
}
