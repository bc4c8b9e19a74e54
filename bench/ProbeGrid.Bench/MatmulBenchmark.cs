using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// float32 matmul throughput on the CPU: the machine's ceiling at a large square product, and
/// what is left of it at the skinny shapes the probes and the random projection really use.
/// </summary>
public sealed class MatmulBenchmark : IBenchmark
{
    /// <summary>Each timed run does enough products of a shape to take about this many FLOPs.</summary>
    private static double FlopsPerRun(BenchSettings settings) => settings.Pick(2e9, 2e8);

    public string Name => "matmul";

    public string Description => "float32 matmul GFLOP/s at 1024^3 (the ceiling) and at the probe and projection shapes";

    private static readonly (string Case, long M, long K, long N)[] Shapes =
    [
        ("1024 x 1024 x 1024 (ceiling)", 1024, 1024, 1024),
        ("128 x 2048 x 10 (probe minibatch forward)", 128, 2048, 10),
        ("2048 x 128 x 10 (probe weight gradient)", 2048, 128, 10),
        ("5000 x 2048 x 10 (full-batch probe, L-BFGS)", 5000, 2048, 10),
        ("256 x 25088 x 512 (random projection of conv1)", 256, 25088, 512),
    ];

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        "shape M x K x N: [M, K] @ [K, N], 2*M*K*N FLOPs per product, a fresh output tensor each time (as the analyses do)",
        $"libtorch intra-op threads: {torch.get_num_threads()}; each timed run repeats the product to about {FlopsPerRun(settings) / 1e9:G2} GFLOP",
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var results = new List<BenchResult>();
        foreach (var (name, m, k, n) in Shapes)
        {
            var flops = 2.0 * m * k * n;
            var products = (int)Math.Max(1, Math.Round(FlopsPerRun(settings) / flops));
            var timing = TimeProducts(m, k, n, torch.ScalarType.Float32, products, settings);
            var perProduct = timing.Median / products;
            results.Add(new BenchResult(name, timing,
            [
                new Metric("products/run", products),
                new Metric("µs/product", perProduct * 1e6),
                new Metric("GFLOP/s", flops / perProduct / 1e9),
                new Metric("best GFLOP/s", flops * products / timing.Min / 1e9),
            ]));
        }
        return results;
    }

    /// <summary>Timed runs of <paramref name="products"/> products [M, K] @ [K, N] of seeded normal matrices, a fresh output each time.</summary>
    internal static Timing TimeProducts(long m, long k, long n, torch.ScalarType dtype, int products, BenchSettings settings)
    {
        using var generator = new torch.Generator(1);
        using var a = torch.randn([m, k], dtype, generator: generator);
        using var b = torch.randn([k, n], dtype, generator: generator);
        return Timing.Measure(() =>
        {
            for (var i = 0; i < products; i++)
            {
                using var c = a.matmul(b);
            }
        }, settings);
    }
}
