using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Analysis.Zoo.TorchVision;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// inception_v3 at 299x299 on the CPU, the costs of the Inception example (examples/inception.sh) per image: an eval-mode
/// forward pass without taps, the extraction of its 21 default taps (Conv2d_1a_3x3 ... Mixed_7c, AuxLogits, avgpool, fc)
/// with the default count sketch to 2048, in alternation with it, and a training step with the auxiliary head's loss; and the
/// optimal probe's costs at ImageNet's shape (the README's full scenario): one evaluation of the stacked heads' objective and
/// gradient at 1000 classes, and one application of the solver's curvature preconditioner, which every L-BFGS iteration adds.
/// </summary>
public sealed class InceptionBenchmark : IBenchmark
{
    private const int Side = 299;
    private const int Classes = 10;

    /// <summary>
    /// The example's extraction batch (its specs' resources.batchSize): the probe job's memory estimate counts every module's input and
    /// output at 4x (about 1.4 GB a sample for inception_v3), so 4 is the largest batch a half-of-24-GiB budget admits.
    /// </summary>
    private const int ExtractBatch = 4;

    /// <summary>A larger batch for the bare forward pass, to show what the small one costs.</summary>
    private const int LargeBatch = 16;

    /// <summary>The example's training batch.</summary>
    private const int TrainBatch = 8;

    private static readonly Reduction Sketch = Reduction.Parse(Reduction.SparseProjection, 2048, 0);

    public string Name => "inception";

    public string Description => "inception_v3 at 299x299: forward images/s, extraction of its 21 default taps (sparse-projection 2048) vs forward, training step with AuxLogits";

    /// <summary>ImageNet's classes, and the 2048-wide count sketch of a tap: the probe problem of the full scenario.</summary>
    private const int ImageNetClasses = 1000;

    private const int SketchWidth = 2048;

    /// <summary>The L2 grid's strengths (OptimalProbeOptions.DefaultL2Grid): all of them stacked, and one left after the others stopped.</summary>
    private static readonly int[] HeadCounts = [9, 1];

    private static int Samples(BenchSettings settings) => settings.Pick(48, 16);

    private static int ProbeRows(BenchSettings settings) => settings.Pick(5000, 1000);

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"{Samples(settings)} random 3x{Side}x{Side} samples, {Classes} classes, eval mode, no gradients; the forward passes and extraction run in alternation",
        $"extract: ActivationExtractor.Extract of the 21 default taps, {Sketch}; x bare = its time / the bare forward's",
        $"train step: train mode, batch {TrainBatch}, zero_grad + forward + cross-entropy + 0.4 x AuxLogits's cross-entropy + backward + Adam step (lr 1e-3)",
        $"probe kernel: StackedProbeHeads.ObjectiveAndGradient, float64, n = {ProbeRows(settings)} random rows, d = {SketchWidth}, C = {ImageNetClasses}; FLOPs = 4*n*(d+1)*K*C",
        $"preconditioner: CovariancePreconditioner.Apply to a [d+1, 9, C] direction (4*d^2*K*C FLOPs, independent of n); setup s = its constructor (X^T X and eigh, once per tap)",
        $"libtorch intra-op threads: {torch.get_num_threads()}",
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var samples = Samples(settings);
        using var model = ModelZoo.Create("inception_v3", new Dictionary<string, string>(), [3, Side, Side], Classes, seed: 1);
        var taps = ((HookedModel)model).DefaultTaps;
        var parameterCount = model.parameters().Sum(p => p.numel());

        var random = new Random(3);
        var inputs = new float[(long)samples * 3 * Side * Side];
        for (var i = 0; i < inputs.Length; i++) inputs[i] = (float)(random.NextDouble() * 2 - 1);
        var data = new LabeledData(inputs, [3, Side, Side], [.. Enumerable.Range(0, samples).Select(i => (long)(i % Classes))], Classes);

        model.eval();
        long outputFloats = 0;
        var timings = Timing.MeasureInterleaved(
        [
            () => BareForward(model, data, ExtractBatch),
            () => BareForward(model, data, LargeBatch),
            () => outputFloats = ActivationExtractor.Extract(model, data, taps, Sketch, ExtractBatch, CancellationToken.None)
                .RequireFinite().Values.Sum(m => m.Data.LongLength),
        ], settings);
        var bare = timings[0];
        var results = new List<BenchResult>
        {
            new($"bare forward, batch {ExtractBatch}", bare, [new Metric("params", parameterCount), new Metric("images/s", samples / bare.Median), new Metric("x bare", 1)]),
            new($"bare forward, batch {LargeBatch}", timings[1], [new Metric("images/s", samples / timings[1].Median), new Metric("x bare", timings[1].Median / bare.Median)]),
            new($"extract {taps.Count} taps {Sketch}, batch {ExtractBatch}", timings[2],
            [
                new Metric("images/s", samples / timings[2].Median), new Metric("x bare", timings[2].Median / bare.Median),
                new Metric("output MiB", MemoryProbe.ToMiB(4 * outputFloats)),
            ]),
        };

        using var generator = new torch.Generator(2);
        using var trainInput = torch.randn([TrainBatch, 3, Side, Side], generator: generator);
        using var labels = torch.randint(Classes, [TrainBatch], generator: generator);
        using var optimizer = torch.optim.Adam(model.parameters(), 1e-3);
        model.train();
        var train = Timing.Measure(() =>
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            model.TrainingLoss(trainInput, labels).backward();
            optimizer.step();
        }, settings);
        model.eval();
        results.Add(new BenchResult($"train step, batch {TrainBatch}", train,
            [new Metric("steps/s", 1 / train.Median), new Metric("images/s", TrainBatch / train.Median)]));
        results.AddRange(ProbeCosts(settings));
        return results;
    }

    /// <summary>The probe solver's two per-iteration costs at ImageNet's class count: the stacked kernel and the preconditioner.</summary>
    private static IEnumerable<BenchResult> ProbeCosts(BenchSettings settings)
    {
        var n = ProbeRows(settings);
        foreach (var heads in HeadCounts)
        {
            var kernel = ProbeKernelBenchmark.KernelTiming(n, SketchWidth, heads, torch.ScalarType.Float64, settings, ImageNetClasses);
            var flops = 4.0 * n * (SketchWidth + 1) * heads * ImageNetClasses;
            yield return new BenchResult($"probe kernel n={n} d={SketchWidth} K={heads} C={ImageNetClasses}", kernel, [new Metric("GFLOP/s", flops / kernel.Median / 1e9)]);
        }

        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(4);
        var features = torch.cat([torch.randn([n, SketchWidth], torch.float64, generator: generator), torch.ones([n, 1], torch.float64)], 1);
        var l2 = torch.tensor(OptimalProbeOptions.DefaultL2Grid.ToArray());
        CovariancePreconditioner? preconditioner = null;
        var setup = Timing.Measure(() =>
        {
            preconditioner?.Dispose();
            preconditioner = new CovariancePreconditioner(features, l2, curvature: 1.0 / ImageNetClasses);
        }, settings);
        using (preconditioner)
        {
            var direction = torch.randn([SketchWidth + 1, l2.shape[0], ImageNetClasses], torch.float64, generator: generator);
            var all = torch.arange(l2.shape[0]);
            var apply = Timing.Measure(() =>
            {
                using var inner = torch.NewDisposeScope();
                preconditioner!.Apply(direction, all);
            }, settings);
            var flops = 4.0 * SketchWidth * SketchWidth * l2.shape[0] * ImageNetClasses;
            yield return new BenchResult($"preconditioner apply d={SketchWidth} K={l2.shape[0]} C={ImageNetClasses}", apply,
                [new Metric("GFLOP/s", flops / apply.Median / 1e9), new Metric("setup s", setup.Median)]);
        }
    }

    private static void BareForward(TappedModel model, LabeledData data, int batch)
    {
        using var noGrad = torch.no_grad();
        for (var start = 0; start < data.Count; start += batch)
        {
            using var scope = torch.NewDisposeScope();
            var input = data.InputBatch(start, Math.Min(batch, data.Count - start));
            model.forward(input);
        }
    }
}
