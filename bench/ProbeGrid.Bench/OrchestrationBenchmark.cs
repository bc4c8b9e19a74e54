using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Client;
using ProbeGrid.Grains.Sweeps;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Silo.Compute;
using ProbeGrid.Silo.Hosting;

namespace ProbeGrid.Bench;

/// <summary>
/// The grid at the probe paper's "infeasible" scale: 500 checkpoints x 20 layers = 10,000 units of
/// the synthetic analysis (each holds an executor slot for a fixed time) on one silo with many
/// slots. Makespan against the ideal (units x duration / slots), and what the coordination costs per unit.
/// </summary>
public sealed class OrchestrationBenchmark : IBenchmark
{
    private const int Layers = 20;

    public string Name => "orchestration";

    public string Description => "10,000 synthetic units (500 checkpoints x 20 layers) through the grid: makespan vs ideal, overhead per unit";

    private static (int Checkpoints, int Slots, int[] DurationsMs) Shape(BenchSettings settings) =>
        settings.Pick((500, 64, new[] { 0, 20 }), (50, 32, new[] { 0, 20 }));

    public IReadOnlyList<string> Notes(BenchSettings settings)
    {
        var (checkpoints, slots, _) = Shape(settings);
        return
        [
            $"{checkpoints} checkpoint files x {Layers} taps (an MLP of depth 18) = {checkpoints * Layers:N0} units; analysis \"synthetic\": each unit one executor job of the given duration",
            $"one embedded silo (SQLite state, fsync per write), executor with {slots} slots, CheckpointsPerSilo = slots / {Layers} + 2; one timed run per case",
            "makespan: submit to the sweep's Completed status (polled every 50 ms); ideal = units x duration / slots",
            "overhead ms/unit = (makespan - ideal) / units: what dispatch, unit grains, state writes and polling add per unit, serialised",
        ];
    }

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var (checkpoints, slots, durations) = Shape(settings);
        var results = new List<BenchResult>();
        foreach (var duration in durations)
        {
            var name = $"{checkpoints * Layers} units of {duration} ms on {slots} slots";
            try
            {
                results.Add(RunCase(name, checkpoints, slots, duration).GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                results.Add(BenchResult.Failure(name, e));
            }
        }
        return results;
    }

    private static async Task<BenchResult> RunCase(string name, int checkpoints, int slots, int durationMs)
    {
        var root = Directory.CreateTempSubdirectory("probegrid-bench-grid-");
        try
        {
            var folder = WriteCheckpoints(root.FullName, checkpoints);
            var settings = new GridSettings([root.FullName], Path.Combine(root.FullName, "state"), Path.Combine(root.FullName, "cache")) { BaseDirectory = root.FullName };
            await using var grid = await EmbeddedGrid.StartAsync(settings, logging => logging.SetMinimumLevel(LogLevel.Error), CancellationToken.None, silo =>
            {
                silo.Services.Configure<ComputeOptions>(o => o.Slots = slots);
                silo.Services.Configure<SweepOptions>(o => o.CheckpointsPerSilo = slots / Layers + 2);
            });
            var client = new ProbeGridClient(grid.Client);
            var spec = Spec(folder, durationMs);

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var submitted = await client.SubmitAsync(spec, "orchestration", root.FullName);
            if (!submitted.Accepted) throw new InvalidOperationException(string.Join("; ", submitted.Problems));
            var status = submitted.Status;
            while (!status.IsFinished)
            {
                await Task.Delay(50);
                status = await client.GetStatusAsync("orchestration");
            }
            var seconds = clock.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            if (status.Succeeded != status.TotalUnits) throw new InvalidOperationException($"{status.Failed} units failed");

            var units = status.TotalUnits;
            var ideal = units * durationMs / 1000.0 / slots;
            return new BenchResult(name, new Timing([seconds], [cpuSeconds]),
            [
                new Metric("units", units),
                new Metric("makespan s", seconds),
                new Metric("ideal s", ideal),
                new Metric("efficiency %", seconds > 0 ? 100 * ideal / seconds : 0),
                new Metric("overhead ms/unit", 1000 * (seconds - ideal) / units),
                new Metric("units/s", units / seconds),
            ]);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    /// <summary>Checkpoint files of a small MLP (depth 18: taps input, layer1..18, logits) and its model.json.</summary>
    private static string WriteCheckpoints(string root, int count)
    {
        var folder = Path.Combine(root, "run");
        Directory.CreateDirectory(folder);
        var parameters = new Dictionary<string, string> { ["depth"] = (Layers - 2).ToString(), ["width"] = "4" };
        new ModelDescriptor("mlp", parameters, [4], 2, 0, DatasetCatalog.GaussianSignName).Save(folder);
        using var model = ModelZoo.Create("mlp", parameters, [4], 2, 0);
        for (var i = 0; i < count; i++) CheckpointFile.Save(model, Path.Combine(folder, ModelTrainer.CheckpointFileName(i)));
        return folder;
    }

    private static SweepSpec Spec(string checkpoints, int durationMs) => new(
        null,
        new ModelSpec(null, ImmutableSortedDictionary<string, string>.Empty, checkpoints, 0),
        new DatasetSpec(DatasetCatalog.GaussianSignName, ImmutableSortedDictionary.CreateRange(new Dictionary<string, string>
        {
            ["dimension"] = "4", ["trainCount"] = "10", ["validationCount"] = "10", ["testCount"] = "10",
        }), 0),
        ["*"],
        new ReductionSpec("flatten", 0, 0),
        [new AnalysisSpec("synthetic", ImmutableSortedDictionary.CreateRange(new Dictionary<string, string> { ["durationMs"] = durationMs.ToString() }))],
        new ResourceSpec("cpu", 256),
        1);
}
