using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Local;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Planning;

namespace ProbeGrid.Tests.Local;

/// <summary>
/// The local runner keeps results.csv after each checkpoint: running a finished plan again computes
/// nothing, and a run cancelled after its first checkpoint resumes with the others. Each run gets
/// a fresh activation cache, so the cache it leaves shows which checkpoints it ran through the network.
/// </summary>
public class LocalSweepResumeTests : IDisposable
{
    private const string Spec = """
        {
          "model": { "checkpoints": "run" },
          "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 4, "trainCount": 200, "validationCount": 50, "testCount": 50 }, "seed": 3 },
          "reduction": { "kind": "flatten" },
          "analyses": [ { "kind": "probe", "parameters": { "learningRate": 0.01, "batchSize": 100, "maxEpochs": 3 } } ]
        }
        """;

    private const int Layers = 5; // input, layer1..layer3, logits

    private readonly TempFolder temp = new();
    private readonly LocalSweepHarness harness;
    private readonly SweepPlan plan;
    private readonly string[] checkpointPaths;

    public LocalSweepResumeTests()
    {
        checkpointPaths = CheckpointFolderWriter.Write(Path.Combine(temp.Path, "run"), [0, 50, 100], withIndex: true);
        harness = new LocalSweepHarness(temp.Path);
        plan = harness.Plan(Spec);
        Assert.Equal(3 * Layers, plan.UnitCount);
    }

    public void Dispose() => temp.Dispose();

    private string Output => Path.Combine(temp.Path, "out");

    private string ResultsPath => Path.Combine(Output, LocalSweepRunner.ResultsFile);

    private string Cache(string name) => Path.Combine(temp.Path, "cache-" + name);

    /// <summary>The checkpoints whose activations a run extracted, from the keys of the cache entries it wrote.</summary>
    private string[] CheckpointsExtracted(string cache) =>
        checkpointPaths.Where(path => LocalSweepHarness.CacheKeys(cache).Any(k => k.Contains("weights=" + path + "|", StringComparison.Ordinal)))
            .Select(Path.GetFileNameWithoutExtension).ToArray()!;

    /// <summary>Cancels the run when the runner reports its <paramref name="count"/>-th finished checkpoint.</summary>
    private sealed class CancelAfterCheckpoints(CancellationTokenSource cts, int count) : ILogger
    {
        private int finished;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields && fields.Any(f => f.Key == "Checkpoint") && ++finished == count)
                cts.Cancel();
        }
    }

    [Fact]
    public void Running_a_finished_plan_again_recomputes_nothing_and_leaves_the_results_untouched()
    {
        var first = harness.Run(plan, Output, Cache("first"));
        Assert.Equal(3 * Layers * MetricNames.Probe.Count, first.Count);
        Assert.Equal(["step-0000000", "step-0000050", "step-0000100"], CheckpointsExtracted(Cache("first")));
        Assert.Equal(9, LocalSweepHarness.CacheKeys(Cache("first")).Length); // 3 checkpoints x 3 splits
        var bytes = File.ReadAllBytes(ResultsPath);
        var stamp = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(ResultsPath, stamp);

        var again = harness.Run(plan, Output, Cache("again"));

        Assert.Equal(first, again);
        Assert.Empty(LocalSweepHarness.CacheKeys(Cache("again"))); // no checkpoint went through the network
        Assert.Equal(bytes, File.ReadAllBytes(ResultsPath));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(ResultsPath)); // not even rewritten
    }

    [Fact]
    public void A_run_cancelled_after_its_first_checkpoint_resumes_with_the_others()
    {
        using (var cts = new CancellationTokenSource())
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
                harness.Run(plan, Output, Cache("interrupted"), cts.Token, new CancelAfterCheckpoints(cts, 1)));
        }
        var saved = MetricCsv.Read(ResultsPath);
        Assert.Equal(Layers * MetricNames.Probe.Count, saved.Count);
        Assert.All(saved, v => Assert.Equal("step-0000000", v.Checkpoint));
        Assert.Equal(["step-0000000"], CheckpointsExtracted(Cache("interrupted")));

        var resumed = harness.Run(plan, Output, Cache("resumed"));

        Assert.Equal(["step-0000050", "step-0000100"], CheckpointsExtracted(Cache("resumed")));
        Assert.Equal(3 * Layers * MetricNames.Probe.Count, resumed.Count);
        Assert.Equal(saved, resumed.Take(saved.Count)); // what was saved is kept, not recomputed
        Assert.Equal(resumed, MetricCsv.Read(ResultsPath));
        Assert.Equal(3 * Layers, resumed.Count(v => v.Metric == MetricNames.ProbeTestError));
        Assert.Equal(plan.Units().Select(u => (u.Checkpoint, u.Layer)).Order(),
            resumed.Where(v => v.Metric == MetricNames.ProbeTestError).Select(v => (v.Checkpoint, v.Layer)).Order());

        // The same numbers as a run that was never interrupted (to float32 rounding: BLAS kernels may
        // sum in another order from one allocation to the next), so no checkpoint was mixed up.
        var uninterrupted = harness.Run(plan, Path.Combine(temp.Path, "out-whole"), Cache("whole"));
        Assert.Equal(uninterrupted.Select(v => v with { Value = 0 }), resumed.Select(v => v with { Value = 0 }));
        Assert.All(uninterrupted.Zip(resumed), pair => Assert.Equal(pair.First.Value, pair.Second.Value, 1e-4));
    }
}
