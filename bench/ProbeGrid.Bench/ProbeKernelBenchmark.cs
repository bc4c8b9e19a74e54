using ProbeGrid.Analysis.LinearProbes;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Bench;

/// <summary>
/// The optimal probe's kernel, one evaluation of every head's objective and gradient (X·θ, the softmax, Xᵀ·R: what
/// each L-BFGS iteration costs), against two ceilings measured in the same run: the 1024³ GEMM rate and the roofline
/// min(GEMM rate of the dtype, FLOPs per byte of X read × the machine's streaming read rate). With all 9 heads stacked
/// the kernel does 9·C FLOPs per feature value it reads; with one head left, C: that is where the roofline bites.
/// </summary>
public sealed class ProbeKernelBenchmark : IBenchmark
{
    private const int Classes = 10;

    public string Name => "probe-kernel";

    public string Description => "the optimal probe's objective-and-gradient kernel: GFLOP/s against the 1024^3 GEMM rate and the roofline";

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"kernel FLOPs = 4*n*(d+1)*K*C (two GEMMs; the softmax's O(n*K*C) is not counted), C = {Classes}; bytes = X read twice, 2*n*(d+1)*sizeof",
        "roofline = min(GEMM rate of the dtype at 1024^3, FLOPs/byte * read rate); % columns are of the float32 1024^3 rate and of the roofline",
        $"libtorch intra-op threads: {torch.get_num_threads()}",
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var rows = new List<BenchResult>();
        var gemm = new Dictionary<ScalarType, double>();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            var (timing, rate) = GemmRate(dtype, settings);
            gemm[dtype] = rate;
            rows.Add(new BenchResult($"{DtypeName(dtype)} GEMM 1024^3 (ceiling)", timing, [new("GFLOP/s", rate / 1e9)]));
        }
        var (readTiming, readRate) = ReadRate(settings);
        rows.Add(new BenchResult("streaming read (sum of 256 MiB)", readTiming, [new("GB/s", readRate / 1e9)]));

        (int N, int D, int Heads)[] shapes = settings.Pick<(int, int, int)[]>(
            [(5000, 512, 9), (5000, 512, 1), (5000, 2048, 9), (5000, 2048, 1), (50000, 2048, 9)],
            [(2000, 256, 9), (2000, 256, 1)]);
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
            foreach (var (n, d, heads) in shapes)
            {
                var flops = 4.0 * n * (d + 1) * heads * Classes;
                var bytes = 2.0 * n * (d + 1) * (dtype == ScalarType.Float64 ? 8 : 4);
                var roofline = Math.Min(gemm[dtype], flops / bytes * readRate);
                var timing = KernelTiming(n, d, heads, dtype, settings);
                var rate = flops / timing.Median;
                rows.Add(new BenchResult($"{DtypeName(dtype)} n={n} d={d} K={heads}", timing,
                [
                    new("GFLOP/s", rate / 1e9),
                    new("FLOP/byte", flops / bytes),
                    new("roofline GFLOP/s", roofline / 1e9),
                    new("% of f32 1024^3", 100 * rate / gemm[ScalarType.Float32]),
                    new("% of roofline", 100 * rate / roofline),
                ]));
            }
        return rows;
    }

    private static string DtypeName(ScalarType dtype) => dtype == ScalarType.Float64 ? "float64" : "float32";

    private static (Timing, double Rate) GemmRate(ScalarType dtype, BenchSettings settings)
    {
        var products = settings.Pick(10, 2);
        var timing = MatmulBenchmark.TimeProducts(1024, 1024, 1024, dtype, products, settings);
        return (timing, 2.0 * 1024 * 1024 * 1024 * products / timing.Median);
    }

    private static (Timing, double Rate) ReadRate(BenchSettings settings)
    {
        using var scope = torch.NewDisposeScope();
        var values = settings.Pick(64L << 20, 8L << 20); // float32: 256 MiB (quick: 32 MiB), well past the caches
        var x = torch.ones([values]);
        var timing = Timing.Measure(() => { using var s = x.sum(); s.item<float>(); }, settings);
        return (timing, 4.0 * values / timing.Median);
    }

    /// <summary>Seconds per kernel evaluation on random features and labels of <paramref name="classes"/> classes (default: this benchmark's 10).</summary>
    internal static Timing KernelTiming(int n, int d, int heads, ScalarType dtype, BenchSettings settings, int classes = Classes)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(3);
        var features = torch.cat([torch.randn([n, d], dtype, generator: generator), torch.ones([n, 1], dtype)], 1).DetachFromDisposeScope();
        var labels = torch.randint(0, classes, [n], generator: generator);
        var targets = torch.nn.functional.one_hot(labels, classes).to(dtype).DetachFromDisposeScope();
        using var problem = new StackedProbeHeads(features, targets, multiLabel: false);
        var theta = torch.randn([d + 1, heads, classes], dtype, generator: generator).mul_(0.01);
        var l2 = torch.logspace(-6, 2, heads, dtype: dtype);
        var evaluations = settings.Pick(Math.Max(1, (int)(2e9 / (4.0 * n * (d + 1) * heads * classes))), 1);
        var timing = Timing.Measure(() =>
        {
            for (var i = 0; i < evaluations; i++)
            {
                using var inner = torch.NewDisposeScope();
                var (f, g) = problem.ObjectiveAndGradient(theta, l2);
                using var host = f.to(ScalarType.Float64).cpu(); // as the solver does: the objectives go to the CPU every iteration
                _ = host.data<double>()[0];
            }
        }, settings);
        return new Timing(timing.Seconds.Select(s => s / evaluations).ToArray(), timing.CpuSeconds.Select(s => s / evaluations).ToArray());
    }
}
