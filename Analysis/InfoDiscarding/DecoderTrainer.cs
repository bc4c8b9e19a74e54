using ProbeGrid.Analysis.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// Pre-trains the RU decoder g with the MSE ||x − g(h(x))||² on (feature, input) pairs, as the paper's
/// Loss^decoder. Features come precomputed (the grid's activation cache holds them). Runs synchronously,
/// a dispose scope per step, the sample order seeded.
/// </summary>
public static class DecoderTrainer
{
    private const int EvaluationChunk = 256;

    /// <param name="EpochLoss">The mean training MSE (per value) of every epoch.</param>
    public sealed record Fit(IReadOnlyList<double> EpochLoss);

    /// <param name="features">Row-major [count, ..decoder.FeatureShape].</param>
    /// <param name="inputs">Row-major [count, ..decoder.OutputShape].</param>
    /// <exception cref="ArgumentException">Bad options or array sizes, all listed.</exception>
    public static Fit Train(ReconstructionDecoder decoder, float[] features, float[] inputs, int count, DecoderOptions options, CancellationToken ct, Device? device = null)
    {
        var problems = CheckData(decoder, features, inputs, count).Concat(options.Validate()).ToList();
        if (problems.Count > 0) throw new ArgumentException("RU decoder training: " + string.Join("; ", problems));

        device ??= CPU;
        decoder.ScaleTo(features);
        decoder.to(device);
        using var optimizer = optim.Adam(decoder.parameters(), options.InitialLearningRate);
        decoder.train();
        var losses = MinibatchEpochs.Run(optimizer, options, count, (order, start, n) => nn.functional.mse_loss(
                decoder.forward(MinibatchEpochs.Rows(features, decoder.FeatureShape, order, start, n, device)),
                MinibatchEpochs.Rows(inputs, decoder.OutputShape, order, start, n, device)),
            "RU decoder: the training loss", ct);
        decoder.eval();
        return new Fit(losses);
    }

    /// <summary>The mean squared reconstruction error per value, in eval mode, without gradients.</summary>
    /// <exception cref="ArgumentException">Array sizes that do not fit the decoder.</exception>
    public static double MeanSquaredError(ReconstructionDecoder decoder, float[] features, float[] inputs, int count, Device? device = null)
    {
        var problems = CheckData(decoder, features, inputs, count);
        if (problems.Count > 0) throw new ArgumentException("RU decoder evaluation: " + string.Join("; ", problems));
        device ??= CPU;
        decoder.eval();
        using var noGrad = torch.no_grad();
        var featureSize = (int)decoder.FeatureShape.Aggregate(1L, (a, b) => a * b);
        var inputSize = (int)decoder.OutputShape.Aggregate(1L, (a, b) => a * b);
        double sum = 0;
        for (var start = 0; start < count; start += EvaluationChunk)
        {
            using var scope = torch.NewDisposeScope();
            var n = Math.Min(EvaluationChunk, count - start);
            var f = torch.tensor(features.AsSpan(start * featureSize, n * featureSize).ToArray(), [n, .. decoder.FeatureShape], device: device);
            var x = torch.tensor(inputs.AsSpan(start * inputSize, n * inputSize).ToArray(), [n, .. decoder.OutputShape], device: device);
            sum += (decoder.forward(f) - x).pow(2).sum().to_type(ScalarType.Float64).item<double>();
        }
        return sum / ((double)count * inputSize);
    }

    private static List<string> CheckData(ReconstructionDecoder decoder, float[] features, float[] inputs, int count)
    {
        var problems = new List<string>();
        var featureSize = decoder.FeatureShape.Aggregate(1L, (a, b) => a * b);
        var inputSize = decoder.OutputShape.Aggregate(1L, (a, b) => a * b);
        if (count < 1) problems.Add($"count {count} must be at least 1");
        if (features.LongLength != count * featureSize) problems.Add($"the features have {features.LongLength} values, not {count} x {featureSize} ([{string.Join(", ", decoder.FeatureShape)}] each)");
        if (inputs.LongLength != count * inputSize) problems.Add($"the inputs have {inputs.LongLength} values, not {count} x {inputSize} ([{string.Join(", ", decoder.OutputShape)}] each)");
        return problems;
    }
}
