using ProbeGrid.Analysis.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// Trains one disentangler per order to mimic a frozen feature from the input (MSE), then reports
/// each one's output Φ^(l) on the sample sets asked for (the training samples, test samples...),
/// which <see cref="FeatureComponents"/> turns into components. The nets learn the feature standardised
/// (<see cref="FeatureScaling"/>) and their outputs are mapped back. Runs synchronously on the calling
/// thread, a dispose scope per step.
/// </summary>
public static class DisentanglerTrainer
{
    /// <summary>One sample set: inputs row-major [count, ..inputShape].</summary>
    public sealed record Samples(string Name, float[] Inputs, int Count);

    /// <summary>For each order, its final training MSE and Φ^(l) on each evaluated set (row-major [count, ..targetShape]).</summary>
    public sealed record Fit(int Order, double TrainingLoss, IReadOnlyDictionary<string, float[]> Mimics);

    /// <exception cref="ArgumentException">Bad options or shapes, all listed.</exception>
    public static IReadOnlyList<Fit> Train(
        Samples train, float[] trainFeature, long[] inputShape, long[] targetShape,
        IReadOnlyList<Samples> evaluate, DisentanglerOptions options, CancellationToken ct, Device? device = null)
    {
        var problems = options.Validate().ToList();
        var inputSize = inputShape.Aggregate(1L, (a, b) => a * b);
        var targetSize = targetShape.Aggregate(1L, (a, b) => a * b);
        foreach (var set in evaluate.Prepend(train))
            if (set.Inputs.LongLength != set.Count * inputSize) problems.Add($"sample set '{set.Name}' has {set.Inputs.LongLength} input values, not {set.Count} x {inputSize}");
        if (trainFeature.LongLength != train.Count * targetSize) problems.Add($"the feature has {trainFeature.LongLength} values, not {train.Count} x {targetSize}");
        foreach (var order in options.Orders) problems.AddRange(DisentanglerNet.Problems(order, options.Width, inputShape, targetShape));
        if (problems.Count > 0) throw new ArgumentException("disentangler training: " + string.Join("; ", problems.Distinct()));

        device ??= CPU;
        var scaling = FeatureScaling.Of(trainFeature, train.Count, targetShape);
        var standardized = scaling.Standardize(trainFeature);
        return options.Orders.Select((order, i) =>
        {
            using var net = new DisentanglerNet(order, options.Width, inputShape, targetShape, options.Seed + i);
            net.to(device);
            var loss = TrainOne(net, train, standardized, inputShape, targetShape, options, ct, device) * scaling.Scale * scaling.Scale;
            var mimics = evaluate.ToDictionary(s => s.Name, s => scaling.Restore(Evaluate(net, s, inputShape, targetSize, device)));
            return new Fit(order, loss, mimics);
        }).ToList();
    }

    private static double TrainOne(DisentanglerNet net, Samples train, float[] feature, long[] inputShape, long[] targetShape,
        DisentanglerOptions options, CancellationToken ct, Device device)
    {
        using var optimizer = optim.Adam(net.parameters(), options.InitialLearningRate);
        net.train();
        return MinibatchEpochs.Run(optimizer, options, train.Count,
            (order, start, count) => nn.functional.mse_loss(
                net.forward(MinibatchEpochs.Rows(train.Inputs, inputShape, order, start, count, device)),
                MinibatchEpochs.Rows(feature, targetShape, order, start, count, device)),
            $"disentangler of order {net.Order}: the training loss", ct)[^1];
    }

    private static float[] Evaluate(DisentanglerNet net, Samples set, long[] inputShape, long targetSize, Device device)
    {
        net.eval();
        return MimicTraining.Evaluate(net.forward, set, inputShape, targetSize, device);
    }
}
