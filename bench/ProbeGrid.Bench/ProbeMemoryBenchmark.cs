using System.Collections.Immutable;
using System.Globalization;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Models;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// The memory estimate a checkpoint's probe job is admitted by (<see cref="ProbeMemoryPlan"/>) against the memory it was measured
/// to hold: the paper's MNIST convnet (untrained) on Fashion-MNIST, count-sketched to 512 (the default reduction), at a few sizes (taps x samples), in
/// memory and under a budget that forces it to stream through the activation cache. Each case runs once, extraction included
/// (a fresh cache), with the peak working set reset just before it.
/// </summary>
public sealed class ProbeMemoryBenchmark : IBenchmark
{
    private const double Mebibyte = 1024.0 * 1024.0;

    private sealed record Case(string Optimizer, int Taps, int Train, int Validation, int Test, double BudgetShare = 0);

    public string Name => "probe-memory";

    public string Description => "probe job of a checkpoint (mnist-convnet, fashion-mnist, sparse projection 512): the executor's estimate vs the measured peak, in memory and streamed";

    private static IReadOnlyList<Case> CasesFor(BenchSettings settings) => settings.Pick<IReadOnlyList<Case>>(
        [
            new("optimal", 3, 2000, 500, 1000), new("optimal", 10, 2000, 500, 1000), new("optimal", 10, 5000, 1000, 2000),
            new("optimal", 10, 5000, 1000, 2000, BudgetShare: 0.5), new("rmsprop", 10, 5000, 1000, 2000),
            new("rmsprop", 10, 5000, 1000, 2000, BudgetShare: 0.5),
        ],
        [new("optimal", 3, 500, 100, 200), new("optimal", 10, 500, 100, 200, BudgetShare: 0.5)]);

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        "optimal: the default solver (float64, l2Grid of 9, history 10) stopped after 20 iterations (the history is full by then, so its memory is);",
        "  rmsprop: batch 128, 2 epochs. Budget: the share of the in-memory estimate given as the executor's budget (streams when below 1)",
        "estimate MiB: ProbeMemoryPlan.EstimatedBytes; measured MiB: the peak working set (VmHWM, managed and native) during the job minus",
        "  the working set just before it, plus the data set's float32 bytes (loaded before the job, as a silo keeps it between jobs)",
        "  (freed memory is handed back to the OS first: a compacting collection and malloc_trim)",
        "ratio = estimate / measured (above 1: the estimate is an upper bound); groups: training groups of taps when streaming",
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var results = new List<BenchResult>();
        var datasets = new DatasetProvider();
        Measure(datasets, new Case("optimal", 2, 200, 50, 50)); // warm-up: JIT, libtorch's threads, the data set's file
        foreach (var c in CasesFor(settings))
        {
            var name = $"{c.Optimizer} {c.Taps} taps x {c.Train}/{c.Validation}/{c.Test}" + (c.BudgetShare > 0 ? $" budget {c.BudgetShare:0.##}x" : "");
            try
            {
                var (timing, plan, measured) = Measure(datasets, c);
                results.Add(new BenchResult(name, timing,
                [
                    new Metric("estimate MiB", plan.EstimatedBytes / Mebibyte), new Metric("measured MiB", measured / Mebibyte),
                    new Metric("ratio", plan.EstimatedBytes / measured), new Metric("streams", plan.Streams ? 1 : 0),
                    new Metric("groups", plan.Streams ? plan.TrainingGroups.Count : 1),
                ]));
            }
            catch (Exception e)
            {
                results.Add(BenchResult.Failure(name, e));
            }
        }
        return results;
    }

    private static (Timing Timing, ProbeMemoryPlan Plan, double MeasuredBytes) Measure(DatasetProvider datasets, Case c)
    {
        var (inputs, layers, settings) = Job(c);
        var whole = ProbeMemoryPlan.For(inputs, layers, settings, long.MaxValue);
        var plan = c.BudgetShare > 0 ? ProbeMemoryPlan.For(inputs, layers, settings, (long)(whole.EstimatedBytes * c.BudgetShare)) : whole;
        var dataBytes = 4.0 * inputs.Rows * inputs.SampleSize;
        datasets.Get(inputs.Dataset, inputs.Repeat);

        var cache = Directory.CreateTempSubdirectory("probegrid-bench-probe-memory-");
        try
        {
            var job = new ActivationJob(datasets, new ActivationCache(cache.FullName));
            MemoryProbe.ReleaseFreeMemory();
            var before = MemoryProbe.WorkingSetMiB() * Mebibyte;
            if (!MemoryProbe.ResetPeak()) throw new InvalidOperationException("the peak working set cannot be reset here (/proc/self/clear_refs): nothing to measure");
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using (torch.NewDisposeScope())
                ProbeJob.Run(job, inputs, plan, settings, null, torch.CPU, CancellationToken.None);
            var wall = watch.Elapsed.TotalSeconds;
            var peak = MemoryProbe.PeakWorkingSetMiB() * Mebibyte;
            process.Refresh();
            return (new Timing([wall], [(process.TotalProcessorTime - cpu).TotalSeconds]), plan, peak - before + dataBytes);
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    /// <summary>The job's inputs: an untrained mnist-convnet (weights from a seed), its first <see cref="Case.Taps"/> taps, the case's split sizes.</summary>
    private static (JobInputs Inputs, IReadOnlyList<LayerRef> Layers, ProbeSettings Settings) Job(Case c)
    {
        string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
        var dataset = new DatasetSpec(DatasetCatalog.FashionMnistName, ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            [DatasetCatalog.TrainCountParameter] = Count(c.Train), [DatasetCatalog.ValidationCountParameter] = Count(c.Validation), [DatasetCatalog.TestCountParameter] = Count(c.Test),
        }), 1);
        var parameters = ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);
        var inputs = new JobInputs("mnist-convnet", parameters, 1, new CheckpointRef("untrained", 0, null), dataset, 0,
            new ReductionSpec(Reduction.SparseProjection, 512, 0), 256);
        var taps = ModelCatalog.BuiltIn.Architectures.TapNames("mnist-convnet", parameters);
        var layers = taps.Take(c.Taps).Select((t, i) => new LayerRef(t, i + 1)).ToList();
        var settings = c.Optimizer == ProbeOptions.Optimal
            ? new ProbeSettings(new ProbeOptions { Optimizer = ProbeOptions.Optimal }, false, new OptimalProbeOptions { MaxIterations = 20 })
            : new ProbeSettings(new ProbeOptions { MaxEpochs = 2 }, false);
        return (inputs, layers, settings);
    }
}
