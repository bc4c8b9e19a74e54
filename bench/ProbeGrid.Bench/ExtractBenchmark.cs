using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// ActivationExtractor.Extract on the untrained "mnist-convnet" zoo model with random
/// Fashion-MNIST-shaped inputs (1 x 28 x 28; the real data set is not needed), every tap
/// requested, for each of its reductions, against a bare forward pass over the same batches,
/// all cases in alternation in one run. <see cref="Extract"/> compares today's reductions;
/// <see cref="Sketch"/> puts the count-sketch reductions beside flatten and the Gaussian projections.
/// </summary>
public sealed class ExtractBenchmark(string name, string description, IReadOnlyList<Reduction> reductions, int sampleCount) : IBenchmark
{
    /// <summary>The sweep spec's default extraction batch size (resources.batchSize).</summary>
    private const int BatchSize = 256;

    private static readonly long[] SampleShape = [1, 28, 28];

    public static ExtractBenchmark Extract { get; } = new("extract",
        "ActivationExtractor.Extract samples/s on mnist-convnet (all 10 taps) per reduction vs a bare forward pass",
        [
            Reduction.Parse(Reduction.Flatten, 0, 0),
            Reduction.Parse(Reduction.SpatialMean, 0, 0),
            Reduction.Parse(Reduction.RandomProjection, 512, 0),
            Reduction.Parse(Reduction.RandomProjection, 2048, 0),
        ], sampleCount: 512);

    public static ExtractBenchmark Sketch { get; } = new("sketch",
        "extraction with count-sketch reductions vs flatten, Gaussian projections and a bare forward pass (mnist-convnet, all taps)",
        [
            Reduction.Parse(Reduction.Flatten, 0, 0),
            Reduction.Parse(Reduction.SpatialMean, 0, 0),
            Reduction.Parse(Reduction.RandomProjection, 512, 0),
            Reduction.Parse(Reduction.RandomProjection, 2048, 0),
            Reduction.Parse(Reduction.SparseProjection, 512, 0),
            Reduction.Parse(Reduction.SparseProjection, 2048, 0),
            Reduction.Parse(Reduction.PooledProjection, 512, 0),
            Reduction.Parse(Reduction.PooledProjection, 2048, 0),
        ], sampleCount: 1024);

    public string Name => name;

    public string Description => description;

    private int SamplesFor(BenchSettings settings) => settings.Pick(sampleCount, 256);

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"{SamplesFor(settings)} random samples of shape 1x28x28, batch {BatchSize}, model in eval mode, no gradients; all cases run in alternation",
        "bare forward: model.forward on the same batches (input tensors made the same way), no taps;",
        "  extract: all 10 taps captured, reduced, copied to managed arrays with a NaN check",
        "per-call s (not in --quick): Extract of a single sample, i.e. the fixed cost of a call: tap shapes, and for random projections",
        "  drawing one Gaussian matrix per tap wider than the target (they are drawn anew by every Extract call, i.e. per split);",
        "  count sketches are drawn once per process and remembered",
        "samples/s: whole calls; after setup: samples / (time - per-call s); x bare: time / bare forward time (issue 15's target: <= 1.5)",
        "output MiB: size of the feature matrices Extract returns",
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var samples = SamplesFor(settings);
        var random = new Random(3);
        var inputs = new float[samples * 28 * 28];
        for (var i = 0; i < inputs.Length; i++) inputs[i] = random.NextSingle();
        var labels = Enumerable.Range(0, samples).Select(i => (long)(i % 10)).ToArray();
        var data = new LabeledData(inputs, SampleShape, labels, 10);
        var one = data.Slice(0, 1);

        using var model = ModelZoo.Create("mnist-convnet", new Dictionary<string, string>(), SampleShape, classCount: 10, seed: 1);
        model.eval();
        var taps = model.TapNames.ToList();

        var outputFloats = new long[reductions.Count];
        var timings = Timing.MeasureInterleaved(
        [
            () => BareForward(model, data),
            .. reductions.Select((reduction, k) => (Action)(() =>
                outputFloats[k] = ActivationExtractor.Extract(model, data, taps, reduction, BatchSize, CancellationToken.None)
                    .RequireFinite().Values.Sum(m => m.Data.LongLength))),
        ], settings);
        // The fixed cost of a call; left out of the smoke run to keep it short.
        var perCall = settings.Quick ? null : Timing.MeasureInterleaved(
            reductions.Select(reduction => (Action)(() => ActivationExtractor.Extract(model, one, taps, reduction, BatchSize, CancellationToken.None))).ToList(),
            settings);

        var bare = timings[0];
        var results = new List<BenchResult>
        {
            new("bare forward (no taps)", bare, [new Metric("samples/s", samples / bare.Median), new Metric("x bare", 1)]),
        };
        for (var k = 0; k < reductions.Count; k++)
        {
            var timing = timings[k + 1];
            var metrics = new List<Metric> { new("samples/s", samples / timing.Median), new("x bare", timing.Median / bare.Median) };
            if (perCall is not null)
            {
                var setup = perCall[k].Median;
                metrics.Add(new Metric("per-call s", setup));
                metrics.Add(new Metric("after setup", samples / Math.Max(timing.Median - setup, 1e-9)));
            }
            metrics.Add(new Metric("output MiB", MemoryProbe.ToMiB(4 * outputFloats[k])));
            results.Add(new BenchResult($"extract {reductions[k]}", timing, metrics));
        }
        return results;
    }

    private static void BareForward(TappedModel model, LabeledData data)
    {
        using var noGrad = torch.no_grad();
        for (var start = 0; start < data.Count; start += BatchSize)
        {
            using var scope = torch.NewDisposeScope();
            var input = data.InputBatch(start, Math.Min(BatchSize, data.Count - start));
            model.forward(input);
        }
    }
}
