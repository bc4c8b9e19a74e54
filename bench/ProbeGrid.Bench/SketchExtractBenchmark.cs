using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// The cost of extraction with the count-sketch reductions ("sparse-projection",
/// "pooled-projection") against a bare forward pass, flatten and the dense Gaussian
/// "random-projection", all cases in alternation in one run: untrained "mnist-convnet", all 10
/// taps, random Fashion-MNIST-shaped inputs.
/// </summary>
public sealed class SketchExtractBenchmark : IBenchmark
{
    /// <summary>The sweep spec's default extraction batch size (resources.batchSize).</summary>
    private const int BatchSize = 256;

    private static readonly long[] SampleShape = [1, 28, 28];

    private static readonly Reduction[] Reductions =
    [
        Reduction.Parse(Reduction.Flatten, 0, 0),
        Reduction.Parse(Reduction.SpatialMean, 0, 0),
        Reduction.Parse(Reduction.RandomProjection, 512, 0),
        Reduction.Parse(Reduction.RandomProjection, 2048, 0),
        Reduction.Parse(Reduction.SparseProjection, 512, 0),
        Reduction.Parse(Reduction.SparseProjection, 2048, 0),
        Reduction.Parse(Reduction.PooledProjection, 512, 0),
        Reduction.Parse(Reduction.PooledProjection, 2048, 0),
    ];

    public string Name => "sketch";

    public string Description => "extraction with count-sketch reductions vs flatten, Gaussian projections and a bare forward pass (mnist-convnet, all taps)";

    private static int SamplesFor(BenchSettings settings) => settings.Pick(1024, 256);

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"{SamplesFor(settings)} random samples of shape 1x28x28, batch {BatchSize}, eval mode, no gradients; all cases in alternation",
        "x bare: time / bare forward time (model.forward over the same batches, no taps); the issue's target is <= 1.5",
        "per-call s (not in --quick): an Extract of one sample: tap shapes and, for random-projection, drawing the Gaussian",
        "  matrices anew (every call); count sketches are drawn once per process and remembered",
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

        var outputFloats = new long[Reductions.Length];
        var timings = Timing.MeasureInterleaved(
        [
            () => BareForward(model, data),
            .. Reductions.Select((reduction, k) => (Action)(() =>
                outputFloats[k] = ActivationExtractor.Extract(model, data, taps, reduction, BatchSize, CancellationToken.None)
                    .RequireFinite().Values.Sum(m => m.Data.LongLength))),
        ], settings);
        var perCall = settings.Quick ? null : Timing.MeasureInterleaved(
            Reductions.Select(reduction => (Action)(() => ActivationExtractor.Extract(model, one, taps, reduction, BatchSize, CancellationToken.None))).ToList(),
            settings);

        var bare = timings[0];
        var results = new List<BenchResult>
        {
            new("bare forward (no taps)", bare, [new Metric("samples/s", samples / bare.Median), new Metric("x bare", 1)]),
        };
        for (var k = 0; k < Reductions.Length; k++)
        {
            var timing = timings[k + 1];
            var metrics = new List<Metric> { new("samples/s", samples / timing.Median), new("x bare", timing.Median / bare.Median) };
            if (perCall is not null) metrics.Add(new Metric("per-call s", perCall[k].Median));
            metrics.Add(new Metric("output MiB", MemoryProbe.ToMiB(4 * outputFloats[k])));
            results.Add(new BenchResult($"extract {Reductions[k]}", timing, metrics));
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
