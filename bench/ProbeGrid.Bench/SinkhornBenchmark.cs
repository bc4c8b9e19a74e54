using ProbeGrid.Analysis.Transport;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// Batched log-domain Sinkhorn throughput (pairs per second) for K = 10..80 labels, against the
/// same solver called one pair at a time, on realistic inputs: normalised sigmoid-like
/// predictions against normalised multi-hot targets (1-4 labels), 0/1 cost, ε = 0.01.
/// </summary>
public sealed class SinkhornBenchmark : IBenchmark
{
    private static readonly int[] LabelCounts = [10, 20, 40, 80];

    public string Name => "sinkhorn";

    public string Description => "batched log-domain Sinkhorn pairs/s for K = 10, 20, 40, 80 vs one pair per call (ε = 0.01, 0/1 cost)";

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"{settings.Pick(4096, 1024)} pairs per batched call; one-at-a-time solves {settings.Pick(64, 16)} of them, one call each, and reports per pair",
        "float64; convergence checked every 10 iterations, tolerance 1e-6 on the row marginal (L1), at most 10000 iterations",
        $"libtorch intra-op threads: {torch.get_num_threads()}",
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var results = new List<BenchResult>();
        var options = new SinkhornOptions();
        foreach (var k in LabelCounts)
        {
            var pairs = settings.Pick(4096, 1024);
            var alone = settings.Pick(64, 16);
            var (a, b) = Problems(k, pairs, seed: k);
            var cost = CostMatrix.ZeroOne(k);
            SinkhornResult? batched = null;
            var timing = Timing.Measure(() => batched = SinkhornSolver.Solve(a, b, cost, options), settings);
            results.Add(new BenchResult($"K = {k}, batched", timing,
            [
                new Metric("pairs", pairs),
                new Metric("pairs/s", pairs / timing.Median),
                new Metric("iterations", batched!.Iterations),
                new Metric("unconverged", batched.UnconvergedPairs),
            ]));

            var iterations = 0;
            var single = Timing.Measure(() =>
            {
                iterations = 0;
                for (var p = 0; p < alone; p++)
                    iterations = Math.Max(iterations, SinkhornSolver.Solve(a[(p * k)..((p + 1) * k)], b[(p * k)..((p + 1) * k)], cost, options).Iterations);
            }, settings);
            results.Add(new BenchResult($"K = {k}, one pair per call", single,
            [
                new Metric("pairs", alone),
                new Metric("pairs/s", alone / single.Median),
                new Metric("iterations", iterations),
                new Metric("batched speed-up", (pairs / timing.Median) / (alone / single.Median)),
            ]));
        }
        return results;
    }

    /// <summary>Row-major predictions (sigmoid-like outputs, normalised) and multi-hot targets of 1-4 labels (normalised).</summary>
    private static (double[] A, double[] B) Problems(int k, int pairs, int seed)
    {
        var random = new Random(seed);
        var a = new double[pairs * k];
        var b = new double[pairs * k];
        for (var p = 0; p < pairs; p++)
        {
            var labels = Enumerable.Range(0, k).OrderBy(_ => random.Next()).Take(1 + random.Next(4)).ToHashSet();
            double sa = 0;
            for (var c = 0; c < k; c++)
            {
                // Logits near +2 on the true labels and -3 elsewhere, with noise: a half-trained classifier.
                var logit = (labels.Contains(c) ? 2 : -3) + 1.5 * (random.NextDouble() * 2 - 1);
                a[p * k + c] = 1 / (1 + Math.Exp(-logit));
                sa += a[p * k + c];
                b[p * k + c] = labels.Contains(c) ? 1.0 / labels.Count : 0;
            }
            for (var c = 0; c < k; c++) a[p * k + c] /= sa;
        }
        return (a, b);
    }
}
