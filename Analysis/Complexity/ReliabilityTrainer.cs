using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// Extracts the reliable component Φ_reliable^(l) of network 0's feature for each order l, from the
/// features of K networks trained for the same task (network 0 analysed, 1..K−1 exemplary peers) at the
/// same layer: trains a <see cref="ReliabilityNet"/> in the two phases of <see cref="ReliabilityOptions"/>
/// and reports head_0(z_T) on the sample sets asked for. <see cref="FeatureReliability"/> turns it and the
/// ordinary Φ^(l) of <see cref="DisentanglerTrainer"/> into ρ_reliable^(l). Runs synchronously on the
/// calling thread, a dispose scope per step.
/// </summary>
public static class ReliabilityTrainer
{
    /// <summary>
    /// For each order: the mimic phase's final training loss (sum over the K heads of their MSE, on the standardised features: see <see cref="FeatureScaling"/>), the cycle
    /// phase's final loss at T rounds (sum over k of MSE(g_k(head_k(z_{T−1})), z_{T−1})), and Φ_reliable^(l) of
    /// network 0 on each evaluated set (row-major [count, ..featureShapes[0]]).
    /// </summary>
    public sealed record Fit(int Order, double TrainingLoss, double CycleLoss, IReadOnlyDictionary<string, float[]> ReliableMimics);

    /// <param name="train">The training inputs, row-major [count, ..inputShape].</param>
    /// <param name="trainFeatures">f_k on the training inputs, row-major [count, ..featureShapes[k]]; network 0 first.</param>
    /// <param name="featureShapes">[C_k, H, W]: channels may differ, the map size may not.</param>
    /// <exception cref="ArgumentException">Bad options or shapes, all listed.</exception>
    public static IReadOnlyList<Fit> Train(
        DisentanglerTrainer.Samples train, IReadOnlyList<float[]> trainFeatures, long[] inputShape, IReadOnlyList<long[]> featureShapes,
        IReadOnlyList<DisentanglerTrainer.Samples> evaluate, ReliabilityOptions options, CancellationToken ct, Device? device = null)
    {
        var problems = options.Validate().ToList();
        var inputSize = inputShape.Aggregate(1L, (a, b) => a * b);
        foreach (var set in evaluate.Prepend(train))
            if (set.Inputs.LongLength != set.Count * inputSize) problems.Add($"sample set '{set.Name}' has {set.Inputs.LongLength} input values, not {set.Count} x {inputSize}");
        if (trainFeatures.Count != featureShapes.Count) problems.Add($"{trainFeatures.Count} features but {featureShapes.Count} feature shapes: give one shape per network");
        for (var k = 0; k < Math.Min(trainFeatures.Count, featureShapes.Count); k++)
        {
            var size = featureShapes[k].Aggregate(1L, (a, b) => a * b);
            if (trainFeatures[k].LongLength != train.Count * size) problems.Add($"feature {k} has {trainFeatures[k].LongLength} values, not {train.Count} x {size}");
        }
        foreach (var order in options.Disentangler.Orders) problems.AddRange(ReliabilityNet.Problems(order, options.Disentangler.Width, inputShape, featureShapes));
        if (problems.Count > 0) throw new ArgumentException("reliability training: " + string.Join("; ", problems.Distinct()));

        device ??= CPU;
        var targetSize = featureShapes[0].Aggregate(1L, (a, b) => a * b);
        // Each network's feature standardised, as DisentanglerTrainer's is; head 0's output is mapped back to network 0's units.
        var scalings = trainFeatures.Select((f, k) => FeatureScaling.Of(f, train.Count, featureShapes[k])).ToList();
        var standardized = trainFeatures.Select((f, k) => scalings[k].Standardize(f)).ToList();
        return options.Disentangler.Orders.Select((order, i) =>
        {
            using var net = new ReliabilityNet(order, options.Disentangler.Width, inputShape, featureShapes, options.Disentangler.Seed + i);
            net.to(device);
            var mimicLoss = TrainMimic(net, train, standardized, inputShape, featureShapes, options.Disentangler, ct, device);
            var cycleLoss = TrainCycle(net, train, inputShape, options, ct, device);
            var reliable = evaluate.ToDictionary(s => s.Name, s => scalings[0].Restore(Evaluate(net, s, inputShape, targetSize, options.CycleRounds, device)));
            return new Fit(order, mimicLoss, cycleLoss, reliable);
        }).ToList();
    }

    /// <summary>Phase 1: trunk and heads learn all K features at once (Σ_k MSE(head_k(z), f_k)).</summary>
    private static double TrainMimic(ReliabilityNet net, DisentanglerTrainer.Samples train, IReadOnlyList<float[]> features, long[] inputShape,
        IReadOnlyList<long[]> featureShapes, DisentanglerOptions options, CancellationToken ct, Device device)
    {
        using var optimizer = optim.Adam(net.MimicParameters(), options.InitialLearningRate);
        net.train();
        return MinibatchEpochs.Run(optimizer, options, train.Count, (order, start, count) =>
        {
            var shared = net.Shared(MinibatchEpochs.Rows(train.Inputs, inputShape, order, start, count, device));
            var loss = torch.zeros(1, device: device);
            for (var k = 0; k < net.Networks; k++)
                loss = loss + nn.functional.mse_loss(net.Head(k, shared), MinibatchEpochs.Rows(features[k], featureShapes[k], order, start, count, device));
            return loss;
        }, $"reliability net of order {net.Order}: the mimic loss", ct)[^1];
    }

    /// <summary>
    /// Phase 2: with the trunk and heads frozen (eval mode, no gradients), the g_k learn to give back z_{t−1}
    /// from head_k(z_{t−1}) for t = 1..T in turn, each t a pass over the data; the loss of round T in the last
    /// epoch is returned. Only the last round's reconstruction carries gradients, as in the authors' code.
    /// </summary>
    private static double TrainCycle(ReliabilityNet net, DisentanglerTrainer.Samples train, long[] inputShape,
        ReliabilityOptions options, CancellationToken ct, Device device)
    {
        var batchSize = options.Disentangler.BatchSize;
        using var optimizer = optim.Adam(net.ReconstructorParameters(), options.CycleInitialLearningRate);
        net.eval();
        double lastLoss = double.NaN;
        for (var epoch = 0; epoch < options.CycleEpochs; epoch++)
        {
            foreach (var group in optimizer.ParamGroups) group.LearningRate = options.CycleLearningRate(epoch);
            for (var rounds = 1; rounds <= options.CycleRounds; rounds++)
            {
                var order = SeededRandom.Permutation(train.Count, SeededRandom.Create(options.Disentangler.Seed, options.Disentangler.Epochs + epoch * options.CycleRounds + rounds));
                double sum = 0;
                for (var start = 0; start < train.Count; start += batchSize)
                {
                    ct.ThrowIfCancellationRequested();
                    using var scope = torch.NewDisposeScope();
                    var count = Math.Min(batchSize, train.Count - start);
                    Tensor shared;
                    var headOutputs = new Tensor[net.Networks];
                    using (torch.no_grad())
                    {
                        shared = net.Shared(MinibatchEpochs.Rows(train.Inputs, inputShape, order, start, count, device));
                        for (var t = 1; t < rounds; t++) shared = net.CycleRound(shared);
                        for (var k = 0; k < net.Networks; k++) headOutputs[k] = net.Head(k, shared);
                    }
                    optimizer.zero_grad();
                    var loss = torch.zeros(1, device: device);
                    for (var k = 0; k < net.Networks; k++)
                        loss = loss + nn.functional.mse_loss(net.Reconstruct(k, headOutputs[k]), shared);
                    loss.backward();
                    optimizer.step();
                    sum += loss.item<float>() * count;
                }
                lastLoss = sum / train.Count;
                if (!double.IsFinite(lastLoss))
                    throw new InvalidOperationException($"reliability net of order {net.Order}: the cycle loss became {lastLoss} in epoch {epoch + 1}, round {rounds}; lower the initial cycle learning rate ({options.CycleInitialLearningRate})");
            }
        }
        return lastLoss;
    }

    private static float[] Evaluate(ReliabilityNet net, DisentanglerTrainer.Samples set, long[] inputShape, long targetSize, int rounds, Device device)
    {
        net.eval();
        return MimicTraining.Evaluate(x => net.Reliable(x, rounds), set, inputShape, targetSize, device);
    }
}
