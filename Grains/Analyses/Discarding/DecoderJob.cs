using ProbeGrid.Grains.Compute;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The first half of an information-discarding unit: the RU decoder g of one layer of one checkpoint,
/// trained with MSE to reconstruct training inputs from the layer's feature (the paper's pre-trained
/// decoder), scored on validation inputs, and written out for the shards. Runs synchronously on the
/// calling (executor) thread.
/// </summary>
public sealed class DecoderJob(DatasetProvider datasets)
{
    public DecoderFit Train(JobInputs inputs, LayerRef layer, DiscardingSettings settings, torch.Device device, CancellationToken ct)
    {
        var data = datasets.Get(inputs.Dataset, inputs.Repeat);
        var train = data.Train.Slice(0, Math.Min(settings.DecoderSamples, data.Train.Count));
        var validation = data.Validation.Slice(0, Math.Min(settings.DecoderSamples, data.Validation.Count));

        long[] featureShape;
        float[] trainFeature, validationFeature;
        using (var model = ModelLoader.For(inputs, device))
        {
            featureShape = model.TapShapes(data.SampleShape)[layer.Name];
            trainFeature = UnreducedFeature.Of(model, train, layer.Name, inputs.BatchSize, ct);
            validationFeature = UnreducedFeature.Of(model, validation, layer.Name, inputs.BatchSize, ct);
        }

        using var decoder = new ReconstructionDecoder(ReconstructionDecoder.AsMap(featureShape), ReconstructionDecoder.AsMap(data.SampleShape), settings.Decoder);
        var fit = DecoderTrainer.Train(decoder, trainFeature, train.Inputs, train.Count, settings.Decoder, ct, device);
        var mse = validation.Count > 0 ? DecoderTrainer.MeanSquaredError(decoder, validationFeature, validation.Inputs, validation.Count, device) : double.NaN;
        return new DecoderFit(mse, InputVariance(validation), fit.EpochLoss, [.. decoder.ToBytes()]);
    }

    /// <summary>The variance of each input value over the samples, averaged over the values: the MSE of reconstructing every input as the mean one.</summary>
    private static double InputVariance(LabeledData split)
    {
        if (split.Count < 2) return double.NaN;
        var size = split.SampleSize;
        double total = 0;
        for (var v = 0; v < size; v++)
        {
            double sum = 0, square = 0;
            for (var s = 0; s < split.Count; s++)
            {
                double x = split.Inputs[(long)s * size + v];
                sum += x;
                square += x * x;
            }
            var mean = sum / split.Count;
            total += Math.Max(0, square / split.Count - mean * mean);
        }
        return total / size;
    }

    /// <summary>Bytes held at the peak: the data, the layer's feature on the decoder's samples, and their tensor copies.</summary>
    public static long EstimateBytes(JobInputs inputs, LayerRef layer, DiscardingSettings settings) =>
        inputs.PeakBytes(2L * settings.DecoderSamples * (inputs.TapSize(layer.Name) + inputs.SampleSize));
}
