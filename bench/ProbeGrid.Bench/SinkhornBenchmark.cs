using ProbeGrid.Analysis.Transport;

namespace ProbeGrid.Bench;

/// <summary>
/// SinkhornSolver on the Wasserstein analysis's real workload, many (prediction, target) pairs
/// over K labels at ε = 0.01: with the 0/1 cost, all pairs in one batched call against one call per
/// pair (the slow path, on the first pairs only: its rate is per pair); and all pairs batched under
/// a dense embedding cost (the general O(K²) path). Also how many iterations the pairs needed, and
/// how many hit the cap.
/// </summary>
public sealed class SinkhornBenchmark : IBenchmark
{
    private static readonly SinkhornOptions Options = new(); // ε = 0.01, tolerance 1e-6, cap 10,000, check every 10

    public string Name => "sinkhorn";

    public string Description => "SinkhornSolver pairs/s at K = 10, 20, 40, 80 labels: batched vs one pair per call, 0/1 and dense costs; iterations to converge";

    private sealed record Size(int[] Labels, int Pairs, int SinglePairs, int DensePairs);

    private static Size SizeFor(BenchSettings settings) => settings.Pick(
        new Size([10, 20, 40, 80], Pairs: 4096, SinglePairs: 256, DensePairs: 256),
        new Size([10, 40], Pairs: 512, SinglePairs: 32, DensePairs: 64));

    public IReadOnlyList<string> Notes(BenchSettings settings)
    {
        var s = SizeFor(settings);
        return
        [
            $"{s.Pairs} pairs per K (one call) vs the first {s.SinglePairs} of them one call each, and the first {s.DensePairs} under an embedding cost; " +
            $"epsilon {Options.Epsilon}, " +
            $"L1 marginal tolerance {Options.Tolerance:G}, cap {Options.MaxIterations} iterations, check every {Options.CheckEvery}",
            "inputs (SinkhornProblems, the same in bench/sinkhorn_pot.py): 1-3 target labels, sigmoid predictions of random sharpness, both normalised",
            "pairs/s from the median time; speed-up = batched pairs/s / single-call pairs/s; iterations: the most any pair of the call ran",
            "  (converged pairs leave the batch; for the 0/1 cost, solved in closed form, the Newton steps of its scalar equation);",
            "  not conv.: pairs that hit the cap; mean W: mean Sinkhorn distance",
            "0/1 cost: O(K) per pair and Newton step (UniformCostTransport); embedding cost: distances between random points of the unit square over the largest,",
            "  a dense cost with O(K^2) updates on [chunk, K, K] float64 intermediates of about 32 MiB",
        ];
    }

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var s = SizeFor(settings);
        var results = new List<BenchResult>();
        foreach (var k in s.Labels)
        {
            try
            {
                results.AddRange(Compare(k, s, settings));
            }
            catch (Exception e)
            {
                results.Add(BenchResult.Failure($"K = {k}", e));
            }
        }
        return results;
    }

    private static IReadOnlyList<BenchResult> Compare(int k, Size s, BenchSettings settings)
    {
        var (a, b) = SinkhornProblems.Generate(s.Pairs, k);
        var (denseA, denseB) = (a[..(s.DensePairs * k)], b[..(s.DensePairs * k)]);
        var zeroOne = CostMatrix.ZeroOne(k);
        var embedding = EmbeddingCost(k);
        SinkhornResult? batched = null, dense = null;
        var single = new double[s.SinglePairs];
        var timings = Timing.MeasureInterleaved(
        [
            () => batched = SinkhornSolver.Solve(a, b, zeroOne, Options),
            () =>
            {
                for (var p = 0; p < s.SinglePairs; p++)
                    single[p] = SinkhornSolver.Solve(a[(p * k)..((p + 1) * k)], b[(p * k)..((p + 1) * k)], zeroOne, Options).Costs[0];
            },
            () => dense = SinkhornSolver.Solve(denseA, denseB, embedding, Options),
        ], settings);
        var batchedRate = s.Pairs / timings[0].Median;
        var singleRate = s.SinglePairs / timings[1].Median;
        return
        [
            Row($"K = {k}, 0/1 cost, batched ({s.Pairs} pairs, 1 call)", timings[0], batched!, s.Pairs,
                [new Metric("speed-up", batchedRate / singleRate), new Metric("mean W first", batched!.Costs.Take(s.SinglePairs).Average())]),
            new BenchResult($"K = {k}, 0/1 cost, one pair per call (first {s.SinglePairs})", timings[1],
            [
                new Metric("pairs/s", singleRate),
                new Metric("µs/pair", 1e6 / singleRate),
                new Metric("mean W first", single.Average()),
            ]),
            Row($"K = {k}, embedding cost, batched ({s.DensePairs} pairs, 1 call)", timings[2], dense!, s.DensePairs, []),
        ];
    }

    private static BenchResult Row(string name, Timing timing, SinkhornResult result, int pairs, IReadOnlyList<Metric> extra)
    {
        var rate = pairs / timing.Median;
        return new BenchResult(name, timing,
        [
            new Metric("pairs/s", rate),
            new Metric("µs/pair", 1e6 / rate),
            new Metric("iterations", result.Iterations),
            new Metric("not conv.", result.UnconvergedPairs),
            new Metric("mean W", result.Costs.Average()),
            .. extra,
        ]);
    }

    /// <summary>Distances between random points of the unit square, divided by the largest: a dense metric cost in [0, 1].</summary>
    private static CostMatrix EmbeddingCost(int k)
    {
        var random = new Random(k);
        var cost = CostMatrix.FromEmbeddings(Enumerable.Range(0, k).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToList());
        var largest = cost.Values.Max();
        return CostMatrix.FromValues(cost.Values.Select(c => c / largest).ToArray(), k);
    }
}
