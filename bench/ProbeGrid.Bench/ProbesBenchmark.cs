using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// ProbeTrainer.TrainAll on synthetic features: the probes of all layers in one call (batched,
/// as a checkpoint's layer-analysis unit runs them) against one call per layer, for RMSProp
/// minibatches and for full-batch L-BFGS. Patience is larger than the epoch budget, so every
/// probe runs the same fixed number of epochs (L-BFGS may still stop at a numerical minimum;
/// the "epochs" column shows what ran). One L-BFGS epoch is
/// <see cref="ProbeTrainer.LbfgsIterationsPerEpoch"/> iterations.
/// </summary>
public sealed class ProbesBenchmark : IBenchmark
{
    private const int Classes = 10;

    public string Name => "probes";

    public string Description => "ProbeTrainer.TrainAll: all layers in one call vs one call per layer (RMSProp and L-BFGS); probes/s, GFLOP/s, speed-up";

    private sealed record Size(int Layers, int Dimensions, int Train, int Validation, int Test, int RmsPropEpochs, int LbfgsEpochs);

    /// <summary>The labels of the three splits and every layer's features.</summary>
    private sealed record Problem(Size Size, long[] Train, long[] Validation, long[] Test, IReadOnlyList<LayerFeatures> Layers);

    private static Size SizeFor(BenchSettings settings) => settings.Pick(
        new Size(Layers: 6, Dimensions: 2048, Train: 5000, Validation: 1000, Test: 1000, RmsPropEpochs: 3, LbfgsEpochs: 1),
        new Size(Layers: 3, Dimensions: 512, Train: 1000, Validation: 200, Test: 200, RmsPropEpochs: 2, LbfgsEpochs: 1));

    public IReadOnlyList<string> Notes(BenchSettings settings)
    {
        var s = SizeFor(settings);
        return
        [
            $"{s.Layers} layers x {s.Dimensions} dims, {s.Train} train / {s.Validation} validation / {s.Test} test, {Classes} classes; " +
            $"RMSProp batch 128 for {s.RmsPropEpochs} epochs, L-BFGS {s.LbfgsEpochs} epochs of {ProbeTrainer.LbfgsIterationsPerEpoch} iterations; patience never triggers",
            "FLOPs per probe = E*(P*4*Ntr*D*C + 2*Nval*D*C) + 2*Nval*D*C + 2*(Ntr+Nval+Ntest)*D*C, E = epochs run, P = passes over the",
            $"  training set per epoch (1 for RMSProp, {ProbeTrainer.LbfgsIterationsPerEpoch} for L-BFGS): forward and weight-gradient matmuls of each pass, the validation",
            "  pass after each epoch and before the first, and the final evaluation on all three splits. L-BFGS counts one evaluation",
            "  per iteration (line-search retries are not counted): its GFLOP/s is approximate.",
            "speed-up = median time of one call per layer / median time of the batched call (above 1: batching pays);",
            "  best speed-up: the same with the fastest runs. The two modes run in alternation, so background load hits both alike",
            "times include copying the features into tensors (each TrainAll call does it)",
        ];
    }

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var problem = Generate(SizeFor(settings));
        var results = new List<BenchResult>();
        foreach (var (optimizer, epochs) in new[] { (ProbeOptions.RmsProp, problem.Size.RmsPropEpochs), (ProbeOptions.Lbfgs, problem.Size.LbfgsEpochs) })
        {
            var options = new ProbeOptions { Optimizer = optimizer, MaxEpochs = epochs, Patience = epochs + 1000, Seed = 1 };
            try
            {
                results.AddRange(Compare(problem, options, settings));
            }
            catch (Exception e)
            {
                results.Add(BenchResult.Failure($"{optimizer} (batched and one layer per call)", e));
            }
        }
        return results;
    }

    /// <summary>Times all layers in one TrainAll call, then one call per layer: two rows.</summary>
    private static IReadOnlyList<BenchResult> Compare(Problem problem, ProbeOptions options, BenchSettings settings)
    {
        var s = problem.Size;
        IReadOnlyList<ProbeResult> Train(IReadOnlyList<LayerFeatures> layers) =>
            ProbeTrainer.TrainAll(layers, problem.Train, problem.Validation, problem.Test, Classes, options, warmStart: null, CancellationToken.None);

        List<int> batchedEpochs = [], separateEpochs = [];
        var timings = Timing.MeasureInterleaved(
        [
            () => batchedEpochs = Train(problem.Layers).Select(r => r.EpochsRun).ToList(),
            () => separateEpochs = problem.Layers.SelectMany(layer => Train([layer])).Select(r => r.EpochsRun).ToList(),
        ], settings);
        var (batched, separate) = (timings[0], timings[1]);

        var passesPerEpoch = options.Optimizer == ProbeOptions.Lbfgs ? ProbeTrainer.LbfgsIterationsPerEpoch : 1;
        double FlopsPerProbe(int epochs) => (double)s.Dimensions * Classes *
            (epochs * (passesPerEpoch * 4.0 * s.Train + 2.0 * s.Validation) + 2.0 * s.Validation + 2.0 * (s.Train + s.Validation + s.Test));

        BenchResult Row(string mode, Timing timing, List<int> epochsRun, bool batchedRow)
        {
            var metrics = new List<Metric>
            {
                new("epochs", epochsRun.Average()),
                new("probes/s", s.Layers / timing.Median),
                new("GFLOP/s", epochsRun.Sum(FlopsPerProbe) / timing.Median / 1e9),
            };
            if (batchedRow)
            {
                metrics.Add(new Metric("speed-up", separate.Median / batched.Median));
                metrics.Add(new Metric("best speed-up", separate.Min / batched.Min));
            }
            return new BenchResult($"{options.Optimizer} {mode}", timing, metrics);
        }
        return
        [
            Row($"batched ({s.Layers} layers, 1 call)", batched, batchedEpochs, batchedRow: true),
            Row($"one layer per call ({s.Layers} calls)", separate, separateEpochs, batchedRow: false),
        ];
    }

    private static Problem Generate(Size s)
    {
        var random = new Random(7);
        long[] Labels(int n) => Enumerable.Range(0, n).Select(_ => (long)random.Next(Classes)).ToArray();
        var (train, validation, test) = (Labels(s.Train), Labels(s.Validation), Labels(s.Test));
        var layers = Enumerable.Range(0, s.Layers)
            .Select(l => new LayerFeatures($"layer{l}",
                SyntheticFeatures(train, s.Dimensions, seed: 100 + l),
                SyntheticFeatures(validation, s.Dimensions, seed: 200 + l),
                SyntheticFeatures(test, s.Dimensions, seed: 300 + l)))
            .ToList();
        return new Problem(s, train, validation, test, layers);
    }

    /// <summary>
    /// Gaussian features with a weak class signal: a random mean per class (scaled so a linear
    /// probe has something to learn but does not separate the classes at once) plus unit noise.
    /// </summary>
    private static FeatureMatrix SyntheticFeatures(long[] labels, int dimensions, long seed)
    {
        using var scope = torch.NewDisposeScope();
        using var meanGenerator = new torch.Generator(1); // the same class means on every split
        using var generator = new torch.Generator((ulong)seed);
        var classMeans = torch.randn([Classes, dimensions], generator: meanGenerator).mul_(0.05);
        var features = torch.randn([labels.Length, dimensions], generator: generator)
            .add_(classMeans.index_select(0, torch.tensor(labels)));
        return new FeatureMatrix(features.data<float>().ToArray(), labels.Length, dimensions);
    }
}
