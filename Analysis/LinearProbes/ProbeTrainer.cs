using ProbeGrid.Analysis.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// Trains linear classifier probes (Alain and Bengio 2016) on frozen features: the probes of
/// all layers of a checkpoint together, one pass over the data serving every layer. The layers'
/// losses are summed; because each probe's parameters appear only in its own term and the
/// optimisers are element-wise, each probe follows exactly the path it would alone. Early
/// stopping is per layer, on validation loss; the best epoch's weights are reported.
/// </summary>
public static class ProbeTrainer
{
    /// <summary>
    /// L-BFGS iterations between validation checks. Its first steps on small, badly scaled
    /// features barely move the loss, so patience counted in single iterations stops too early.
    /// </summary>
    public const int LbfgsIterationsPerEpoch = 10;

    /// <summary>Softmax probes of class labels.</summary>
    /// <exception cref="ArgumentException">bad options, or features and labels that do not match.</exception>
    public static IReadOnlyList<ProbeResult> TrainAll(
        IReadOnlyList<LayerFeatures> layers,
        long[] trainLabels,
        long[] validationLabels,
        long[] testLabels,
        int classCount,
        ProbeOptions options,
        IReadOnlyDictionary<string, ProbeWeights>? warmStart,
        CancellationToken ct,
        Device? device = null) =>
        TrainAll(layers, ProbeTargets.Classes(trainLabels), ProbeTargets.Classes(validationLabels), ProbeTargets.Classes(testLabels),
            classCount, options, warmStart, ct, device);

    /// <summary>Softmax probes of class labels or sigmoid probes of label sets, as the targets are.</summary>
    /// <exception cref="ArgumentException">bad options, or features and targets that do not match.</exception>
    public static IReadOnlyList<ProbeResult> TrainAll(
        IReadOnlyList<LayerFeatures> layers,
        ProbeTargets train,
        ProbeTargets validation,
        ProbeTargets test,
        int classCount,
        ProbeOptions options,
        IReadOnlyDictionary<string, ProbeWeights>? warmStart,
        CancellationToken ct,
        Device? device = null)
    {
        CheckInputs(layers, train, validation, test, classCount, options);
        device ??= CPU;

        var probes = new List<LayerProbe>(layers.Count);
        using var yTrain = train.ToTensor(device);
        using var yValidation = validation.ToTensor(device);
        using var yTest = test.ToTensor(device);
        try
        {
            foreach (var layer in layers)
                probes.Add(new LayerProbe(layer, classCount, warmStart?.GetValueOrDefault(layer.Tap), device));
            foreach (var probe in probes) probe.EndEpoch(0, yValidation, options);

            if (options.Optimizer == ProbeOptions.Lbfgs) TrainFullBatch(probes, yTrain, yValidation, options, ct);
            else TrainMinibatch(probes, yTrain, yValidation, options, ct);

            return probes.Select(p => p.Result(yTrain, yValidation, yTest)).ToList();
        }
        finally
        {
            foreach (var probe in probes) probe.Dispose();
        }
    }

    private static void TrainMinibatch(List<LayerProbe> probes, Tensor yTrain, Tensor yValidation, ProbeOptions options, CancellationToken ct)
    {
        var parameters = probes.SelectMany(p => new[] { p.Weight, p.Bias }).ToList();
        using var optimizer = options.Optimizer switch
        {
            ProbeOptions.Adam => (optim.Optimizer)optim.Adam(parameters, options.LearningRate),
            ProbeOptions.Sgd => optim.SGD(parameters, options.LearningRate, momentum: options.Momentum),
            _ => optim.RMSProp(parameters, options.LearningRate, momentum: options.Momentum),
        };
        var rows = (int)yTrain.shape[0];
        for (var epoch = 1; epoch <= options.MaxEpochs && probes.Any(p => !p.Stopped); epoch++)
        {
            var order = SeededRandom.Permutation(rows, SeededRandom.Create(options.Seed, epoch));
            for (var start = 0; start < rows; start += options.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = torch.NewDisposeScope();
                var index = torch.tensor(order.AsSpan(start, Math.Min(options.BatchSize, rows - start)).ToArray(), device: yTrain.device).to(ScalarType.Int64);
                var labels = yTrain.index_select(0, index);
                optimizer.zero_grad();
                // A stopped probe leaves the sum: its best weights are already kept.
                var loss = probes.Where(p => !p.Stopped)
                    .Select(p => LayerProbe.Loss(p.Train.index_select(0, index), labels, p.Weight, p.Bias, options.WeightDecay))
                    .Aggregate((a, b) => a + b);
                loss.backward();
                optimizer.step();
            }
            foreach (var probe in probes.Where(p => !p.Stopped)) probe.EndEpoch(epoch, yValidation, options);
        }
    }

    private static void TrainFullBatch(List<LayerProbe> probes, Tensor yTrain, Tensor yValidation, ProbeOptions options, CancellationToken ct)
    {
        using var minimizer = new LbfgsMinimizer();
        List<LayerProbe> layout = [];
        for (var epoch = 1; epoch <= options.MaxEpochs && probes.Any(p => !p.Stopped); epoch++)
        {
            ct.ThrowIfCancellationRequested();
            var active = probes.Where(p => !p.Stopped).ToList();
            if (!active.SequenceEqual(layout))
            {
                minimizer.Reset(); // the objective changed: old curvature pairs no longer apply
                layout = active;
            }

            bool moved;
            using (var theta = Pack(active))
            {
                moved = true;
                for (var i = 0; i < LbfgsIterationsPerEpoch && moved; i++)
                    moved = minimizer.Step(theta, t => FullBatchLoss(active, t, yTrain, options.WeightDecay));
                Unpack(theta, active);
            }
            foreach (var probe in active) probe.EndEpoch(epoch, yValidation, options);
            if (!moved) foreach (var probe in active) probe.Stop(); // at the minimum: more epochs change nothing
        }
    }

    /// <summary>All active probes' W and b as one flat leaf vector, the variable L-BFGS works on.</summary>
    private static Tensor Pack(List<LayerProbe> active)
    {
        using var scope = torch.NewDisposeScope();
        var flat = torch.cat(active.SelectMany(p => new[] { p.Weight.detach().flatten(), p.Bias.detach() }).ToList(), 0);
        return flat.detach().requires_grad_(true).DetachFromDisposeScope();
    }

    private static void Unpack(Tensor theta, List<LayerProbe> active)
    {
        using var noGrad = torch.no_grad();
        long offset = 0;
        foreach (var p in active)
        {
            p.Weight.copy_(theta.narrow(0, offset, p.Weight.numel()).view(p.Weight.shape));
            offset += p.Weight.numel();
            p.Bias.copy_(theta.narrow(0, offset, p.Bias.numel()));
            offset += p.Bias.numel();
        }
    }

    private static Tensor FullBatchLoss(List<LayerProbe> active, Tensor theta, Tensor yTrain, double weightDecay)
    {
        Tensor? total = null;
        long offset = 0;
        foreach (var p in active)
        {
            var weight = theta.narrow(0, offset, p.Weight.numel()).view(p.Weight.shape);
            offset += p.Weight.numel();
            var bias = theta.narrow(0, offset, p.Bias.numel());
            offset += p.Bias.numel();
            var loss = LayerProbe.Loss(p.Train, yTrain, weight, bias, weightDecay);
            total = total is null ? loss : total + loss;
        }
        return total!;
    }

    private static void CheckInputs(
        IReadOnlyList<LayerFeatures> layers, ProbeTargets train, ProbeTargets validation, ProbeTargets test, int classCount, ProbeOptions options)
    {
        var problems = options.Validate().ToList();
        if (options.Optimizer == ProbeOptions.Optimal) problems.Add($"optimizer '{ProbeOptions.Optimal}' is solved by ConvexProbeSolver, not trained here");
        if (classCount < 2) problems.Add($"classCount {classCount} must be at least 2");
        if (train.Count == 0 || validation.Count == 0 || test.Count == 0)
            problems.Add("every split needs at least one sample");
        if (train.IsMultiLabel != validation.IsMultiLabel || train.IsMultiLabel != test.IsMultiLabel)
            problems.Add("give class labels on every split or label sets on every split, not a mix");
        if (layers.Select(l => l.Tap).Distinct().Count() != layers.Count) problems.Add("a layer is listed twice");
        problems.AddRange(train.Problems("train", classCount).Concat(validation.Problems("validation", classCount)).Concat(test.Problems("test", classCount)));
        foreach (var layer in layers)
        {
            if (layer.Train.Rows != train.Count || layer.Validation.Rows != validation.Count || layer.Test.Rows != test.Count)
                problems.Add($"layer '{layer.Tap}' has {layer.Train.Rows}/{layer.Validation.Rows}/{layer.Test.Rows} rows but the labels number {train.Count}/{validation.Count}/{test.Count}");
            if (layer.Validation.Columns != layer.Dimensions || layer.Test.Columns != layer.Dimensions)
                problems.Add($"layer '{layer.Tap}' has a different width on its train, validation and test splits");
        }
        if (problems.Count > 0) throw new ArgumentException("probe training: " + string.Join("; ", problems));
    }
}
