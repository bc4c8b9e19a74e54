using System.Globalization;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// One checkpoint's probe job three ways, in one process, run by run in alternation: (a) ProbeGrid's own (the probe
/// analysis with its default settings, planned from a spec as a sweep plans it, then <see cref="ActivationJob"/> and
/// <see cref="ProbeJob"/> on a fresh activation cache, as the checkpoint grain runs them), (b) <see cref="TorchSharpProbeTwin"/>,
/// (c) bench/probe_torch.py under Debian's torch as a child process. The checkpoint is the last one of
/// PROBEGRID_BENCH_CHECKPOINTS (a folder `probegrid train` wrote) or of a short training run made here.
/// </summary>
public sealed class VsPyTorchBenchmark : IBenchmark
{
    private const string CheckpointsVariable = "PROBEGRID_BENCH_CHECKPOINTS";
    private List<string> tapTable = [];

    public string Name => "vs-pytorch";

    public string Description => "one checkpoint's probe job: ProbeGrid (default probe settings, sparse-projection) vs a PyTorch script vs its TorchSharp twin";

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"checkpoint: the last of {Environment.GetEnvironmentVariable(CheckpointsVariable) ?? "a short training run made here (set " + CheckpointsVariable + " to a `probegrid train` folder)"}",
        $"one timed run of each, in the order ProbeGrid, twin, PyTorch (--runs N: N rounds; the peers take minutes a run), after {settings.Warmup} untimed run of ProbeGrid's job",
        "s/checkpoint: ProbeGrid = extraction through a fresh activation cache + the probe job; twin and PyTorch = their load, forward+hooks, reduction and probes",
        "  (PyTorch: as timed inside the script, without interpreter start and `import torch`; process s is the child's whole wall time)",
        "x ProbeGrid = this row's median over ProbeGrid's; peers: count sketch to the spec's maxDims, L2 grid and gradient tolerance of the optimum's defaults,",
        "  torch.optim.LBFGS per strength (PyTorch: strong Wolfe; TorchSharp's LBFGS has no line search), float64 as ProbeGrid's solver",
        .. tapTable,
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var work = Path.Combine(Path.GetTempPath(), $"vs-pytorch-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        try
        {
            return Measure(settings, work);
        }
        catch (Exception e)
        {
            return [BenchResult.Failure("vs-pytorch", e)];
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private IReadOnlyList<BenchResult> Measure(BenchSettings settings, string work)
    {
        var (trainCount, validationCount, testCount) = settings.Pick((5000, 1000, 2000), (600, 200, 200));
        var datasetParameters = new Dictionary<string, string>
        {
            ["trainCount"] = trainCount.ToString(CultureInfo.InvariantCulture),
            ["validationCount"] = validationCount.ToString(CultureInfo.InvariantCulture),
            ["testCount"] = testCount.ToString(CultureInfo.InvariantCulture),
        };
        var checkpoints = Environment.GetEnvironmentVariable(CheckpointsVariable) is { } given ? Path.GetFullPath(given) : Train(work, datasetParameters, settings);

        // The sweep's view of the job: the probe analysis with no parameters (its defaults), every tap sketched to 512 as the
        // demo's sweep does (at the default 2048 the peers' sequential L2 grids take hours here).
        // --quick: three taps and a width of 256, so the peers take seconds rather than minutes.
        var (layers, width) = settings.Pick(("\"*\"", ", \"maxDims\": 512"), ("[\"conv2_pooling\", \"fc1_postact\", \"logits\"]", ", \"maxDims\": 256"));
        var spec = SweepSpecReader.Parse($$"""
            { "sweepId": "vs-pytorch", "model": { "checkpoints": {{System.Text.Json.JsonSerializer.Serialize(checkpoints)}} },
              "dataset": { "name": "fashion-mnist", "parameters": {{System.Text.Json.JsonSerializer.Serialize(datasetParameters)}}, "seed": 1 },
              "layers": {{layers}}, "reduction": { "kind": "{{Reduction.SparseProjection}}"{{width}} }, "analyses": [ { "kind": "probe" } ] }
            """);
        var plan = new SweepPlanner(new DataRoots([checkpoints, "/usr/share/datasets"]), work).Plan(spec, "vs-pytorch");
        var probeSettings = plan.Settings.OfType<ProbeSettings>().Single();
        var checkpoint = plan.Checkpoints[^1];
        var inputs = new JobInputs(plan.Architecture, plan.ModelParameters, plan.Spec.Model.InitSeed, checkpoint, plan.Spec.Dataset, 0,
            plan.Spec.Reduction, plan.Spec.Resources.BatchSize);
        var datasets = new DatasetProvider(); // loaded once, as a silo keeps it for every checkpoint of a sweep
        var data = datasets.Get(plan.Spec.Dataset, 0);
        var optimum = probeSettings.OptimumOrDefault; // the peers' grid and tolerance, whatever the default optimizer is
        var dtype = optimum.DoublePrecision ? torch.ScalarType.Float64 : torch.ScalarType.Float32;
        var peerFolder = PyTorchProbeScript.WriteInputs(Path.Combine(work, "peer"), plan, checkpoint.Path!, data);

        ProbeJob.Result? ours = null;
        TorchSharpProbeTwin.Outcome? twin = null;
        PyTorchProbeScript.Outcome? script = null;
        var run = 0;
        void ProbeGridJob()
        {
            // A fresh cache each run: a new checkpoint of a sweep misses it, extracts, and writes its taps there.
            var cache = Path.Combine(work, $"cache-{run++}");
            using (var scope = torch.NewDisposeScope())
            {
                var activations = new ActivationJob(datasets, new ActivationCache(cache)).Run(inputs, plan.Layers, torch.CPU, CancellationToken.None);
                ours = ProbeJob.Run(activations, plan.Layers, probeSettings, null, torch.CPU, CancellationToken.None);
            }
            Directory.Delete(cache, recursive: true);
        }
        var tapNames = plan.Layers.Select(l => l.Name).ToHashSet();
        void Twin() => twin = TorchSharpProbeTwin.Run(Path.GetDirectoryName(checkpoint.Path!)!, checkpoint.Path!, data, tapNames, plan.Spec.Reduction.MaxDims,
            plan.Spec.Reduction.Seed, plan.Spec.Resources.BatchSize, optimum.L2Grid, optimum.GradientTolerance, optimum.MaxIterations, dtype);

        // Warm-up (JIT, libtorch's pools) of ProbeGrid's job only: the peers take minutes a run and their start-up costs
        // are a small part of it (the script's interpreter start and import are outside its timing anyway).
        for (var i = 0; i < settings.Warmup; i++) ProbeGridJob();
        var runs = Enumerable.Range(0, 3).Select(_ => new List<(double Wall, double Cpu)>()).ToList();
        var scriptSeconds = new List<double>();
        for (var i = 0; i < (settings.Runs ?? 1); i++)
        {
            runs[0].Add(Timing.TimeOnce(ProbeGridJob));
            var twinRun = Timing.TimeOnce(Twin);
            runs[1].Add((twin!.TotalSeconds, twinRun.Cpu * twin.TotalSeconds / twinRun.Wall));
            var scriptRun = Timing.TimeOnce(() => script = PyTorchProbeScript.Run(peerFolder, plan, torch.get_num_threads(), optimum));
            runs[2].Add((script!.TotalSeconds, scriptRun.Cpu)); // cpu: the child's CPU time is not this process's
            scriptSeconds.Add(scriptRun.Wall);
        }
        var timings = runs.Select(r => new Timing(r.Select(x => x.Wall).ToList(), r.Select(x => x.Cpu).ToList())).ToList();
        var baseline = timings[0].Median;
        var defaults = $"optimizer {probeSettings.Classifier.Optimizer}, {Reduction.Parse(plan.Spec.Reduction.Kind, plan.Spec.Reduction.MaxDims, plan.Spec.Reduction.Seed)}";
        tapTable = TapTable(ours!, twin!, script!);
        return
        [
            new($"ProbeGrid probe job ({defaults}; {plan.Layers.Length} taps, {trainCount}/{validationCount}/{testCount})", timings[0],
                [new("s/checkpoint", baseline), new("x ProbeGrid", 1)]),
            new("TorchSharp twin (same algorithm as the script)", timings[1],
                [new("s/checkpoint", timings[1].Median), new("x ProbeGrid", timings[1].Median / baseline), new("load s", twin!.LoadSeconds),
                 new("forward s", twin.ForwardSeconds), new("reduce s", twin.ReductionSeconds), new("probes s", twin.ProbeSeconds)]),
            new($"PyTorch script (torch {script!.TorchVersion}, {script.Threads} threads)", timings[2],
                [new("s/checkpoint", timings[2].Median), new("x ProbeGrid", timings[2].Median / baseline), new("load s", script.LoadSeconds),
                 new("forward s", script.ForwardSeconds), new("reduce s", script.ReductionSeconds), new("probes s", script.ProbeSeconds),
                 new("process s", scriptSeconds.Order().ElementAt(scriptSeconds.Count / 2))]),
        ];
    }

    /// <summary>Per-tap test errors of the three, as a Markdown table (from the last timed run): equal quality is within about 0.01.</summary>
    private static List<string> TapTable(ProbeJob.Result ours, TorchSharpProbeTwin.Outcome twin, PyTorchProbeScript.Outcome script)
    {
        static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        static string L(double v) => v.ToString("0e0", CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            "per-tap test error (and the L2 strength each picked; ProbeGrid's when its optimizer is 'optimal'):",
            "| tap | features | ProbeGrid | TorchSharp twin | PyTorch | largest difference |",
            "|---|---:|---:|---:|---:|---:|",
        };
        foreach (var probe in ours.Probes)
        {
            var t = twin.Taps.Single(x => x.Tap == probe.Tap);
            var p = script.Taps.Single(x => x.Tap == probe.Tap);
            var errors = new[] { probe.TestError, t.TestError, p.TestError };
            var ourL2 = probe.Optimum is { } o ? $" (λ {L(o.L2)})" : "";
            lines.Add($"| `{probe.Tap}` | {t.Dimensions} | {F(probe.TestError)}{ourL2} | {F(t.TestError)} (λ {L(t.L2)}) | {F(p.TestError)} (λ {L(p.L2)}) | {F(errors.Max() - errors.Min())} |");
        }
        return lines;
    }

    /// <summary>A short training run of mnist-convnet on the same data when no checkpoint folder is given.</summary>
    private static string Train(string work, Dictionary<string, string> datasetParameters, BenchSettings settings)
    {
        var folder = Path.Combine(work, "run");
        var data = DatasetCatalog.Load("fashion-mnist", datasetParameters, seed: 1);
        var steps = settings.Pick(100L, 10L);
        var descriptor = new ModelDescriptor("mnist-convnet", new Dictionary<string, string>(), data.SampleShape, data.ClassCount, 1, "fashion-mnist");
        using var model = descriptor.CreateModel();
        ModelTrainer.Train(model, data.Train, new TrainingOptions { Steps = steps, CheckpointEverySteps = steps, Seed = 1 }, folder, descriptor, CancellationToken.None);
        return folder;
    }
}
