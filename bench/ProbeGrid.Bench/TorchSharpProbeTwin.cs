using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Bench;

/// <summary>
/// bench/probe_torch.py's algorithm written with TorchSharp, as a user of the library would: the zoo network with the
/// checkpoint's weights, a forward pass per batch whose taps are count-sketched as they come, then per tap a
/// standardised softmax probe fitted at every L2 strength in turn (largest first, each warm-started from the last) with
/// torch.optim.LBFGS, the lowest validation loss kept. Same kernels as ProbeGrid, none of its design (no cache, no
/// batched L2 grid, no solver of its own): the ratio against ProbeGrid's probe job shows what the design buys.
/// </summary>
public static class TorchSharpProbeTwin
{
    public sealed record TapResult(string Tap, int Dimensions, double L2, double TestError, int Evaluations);

    public sealed record Outcome(double LoadSeconds, double ForwardSeconds, double ReductionSeconds, double ProbeSeconds, IReadOnlyList<TapResult> Taps)
    {
        public double TotalSeconds => LoadSeconds + ForwardSeconds + ReductionSeconds + ProbeSeconds;
    }

    /// <param name="width">count-sketch width; taps no wider are kept whole.</param>
    /// <param name="tolerance">L-BFGS stops when the largest gradient entry is at most this.</param>
    public static Outcome Run(string checkpointFolder, string checkpoint, DatasetSplits data, IReadOnlySet<string> taps, int width, long seed, int batchSize,
        IReadOnlyList<double> l2Grid, double tolerance, int maxIterations, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var watch = Stopwatch.StartNew();
        using var model = (ModelDescriptor.TryLoad(checkpointFolder) ?? throw new InvalidOperationException($"no model.json in {checkpointFolder}")).CreateModel();
        CheckpointFile.Load(model, checkpoint);
        model.eval();
        var load = watch.Elapsed.TotalSeconds;

        var reduction = new Stopwatch();
        watch.Restart();
        var sketches = new Dictionary<string, (long Width, Tensor Index)>();
        var splits = new[] { data.Train, data.Validation, data.Test }.Select(split => Extract(model, split, taps, width, seed, batchSize, sketches, reduction)).ToArray();
        var forward = watch.Elapsed.TotalSeconds - reduction.Elapsed.TotalSeconds;

        watch.Restart();
        var labels = new[] { data.Train, data.Validation, data.Test }.Select(s => torch.tensor(s.Labels)).ToArray();
        var probes = model.TapNames.Where(taps.Contains).Select(tap => Probe(tap, splits.Select(s => s[tap]).ToArray(), labels, data.ClassCount, l2Grid, tolerance, maxIterations, dtype)).ToList();
        return new Outcome(load, forward, reduction.Elapsed.TotalSeconds, watch.Elapsed.TotalSeconds, probes);
    }

    /// <summary>The wanted taps' reduced features over one split, [samples, width] each.</summary>
    private static Dictionary<string, Tensor> Extract(Analysis.Zoo.TappedModel model, LabeledData split, IReadOnlySet<string> taps, int width, long seed, int batchSize,
        Dictionary<string, (long Width, Tensor Index)> sketches, Stopwatch reduction)
    {
        var chunks = taps.ToDictionary(t => t, _ => new List<Tensor>());
        using var noGrad = torch.no_grad();
        for (var start = 0; start < split.Count; start += batchSize)
        {
            using var batchScope = NewDisposeScope();
            var input = split.InputBatch(start, Math.Min(batchSize, split.Count - start));
            model.Forward(input, (tap, activation) =>
            {
                if (!taps.Contains(tap)) return;
                reduction.Start();
                var flat = activation.reshape(activation.shape[0], -1);
                if (flat.shape[1] > width) flat = Sketch(flat, SketchIndex(tap, flat.shape[1], width, seed, sketches), width);
                chunks[tap].Add(flat.clone().MoveToOuterDisposeScope());
                reduction.Stop();
            });
        }
        return chunks.ToDictionary(c => c.Key, c => torch.cat(c.Value, 0));
    }

    /// <summary>h(i) + width·[s(i) = −1] for every input coordinate, drawn once per tap.</summary>
    private static Tensor SketchIndex(string tap, long inputs, int width, long seed, Dictionary<string, (long Width, Tensor Index)> sketches)
    {
        if (sketches.TryGetValue(tap, out var known) && known.Width == inputs) return known.Index;
        // The seed as bench/probe_torch.py makes it (zlib.crc32 of the tap name), so both draw alike where libtorch's generators agree.
        using var generator = new Generator(unchecked((ulong)(seed * 1_000_003 + Crc32.HashToUInt32(Encoding.UTF8.GetBytes(tap)))));
        var buckets = torch.randint(0, width, [inputs], generator: generator);
        var negative = torch.randint(0, 2, [inputs], generator: generator);
        var index = (buckets + width * negative).DetachFromDisposeScope();
        sketches[tap] = (inputs, index);
        return index;
    }

    private static Tensor Sketch(Tensor flat, Tensor index, int width)
    {
        var sums = torch.zeros([flat.shape[0], 2L * width], dtype: flat.dtype).scatter_add_(1, index.expand(flat.shape[0], -1), flat);
        return sums.narrow(1, 0, width) - sums.narrow(1, width, width);
    }

    /// <summary>One tap's probe: standardised with the training split's mean and population std, the L2 grid from the largest strength down.</summary>
    private static TapResult Probe(string tap, Tensor[] features, Tensor[] labels, int classes, IReadOnlyList<double> l2Grid, double tolerance, int maxIterations, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var train = features[0].to(ScalarType.Float64);
        var mean = train.mean([0]);
        var std = train.std(0, unbiased: false);
        std = torch.where(std.eq(0), torch.ones_like(std), std);
        var x = features.Select(f => ((f.to(ScalarType.Float64) - mean) / std).to(dtype)).ToArray();
        var weights = new Parameter(torch.zeros([x[0].shape[1], classes], dtype: dtype));
        var bias = new Parameter(torch.zeros([classes], dtype: dtype));
        (double L2, double ValidationLoss, double TestError)? best = null;
        var evaluations = 0;
        foreach (var l2 in l2Grid.OrderDescending())
        {
            using (var fitScope = NewDisposeScope())
            {
                using var optimizer = torch.optim.LBFGS([weights, bias],
                    lr: 1, max_iter: maxIterations, tolerange_grad: tolerance /* sic: TorchSharp 0.107 spells it so */, tolerance_change: 1e-10, history_size: 10);
                optimizer.step(() =>
                {
                    evaluations++;
                    optimizer.zero_grad();
                    var loss = nn.functional.cross_entropy(x[0].matmul(weights) + bias, labels[0]) + 0.5 * l2 * weights.pow(2).sum();
                    loss.backward();
                    return loss;
                });
            }
            using var noGrad = torch.no_grad();
            var validationLoss = nn.functional.cross_entropy(x[1].matmul(weights) + bias, labels[1]).item<double>();
            // Ties (within 1e-9) go to the larger strength, as in ProbeGrid's solver.
            if (best is null || validationLoss < best.Value.ValidationLoss - 1e-9 * Math.Max(Math.Abs(best.Value.ValidationLoss), 1))
            {
                var testError = (x[2].matmul(weights) + bias).argmax(1).ne(labels[2]).to(ScalarType.Float64).mean().item<double>();
                best = (l2, validationLoss, testError);
            }
        }
        return new TapResult(tap, (int)features[0].shape[1], best!.Value.L2, best.Value.TestError, evaluations);
    }
}
