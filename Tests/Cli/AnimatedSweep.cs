using ProbeGrid.Analysis.Data;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Tests.Data;
using ProbeGrid.Tests.Grid;

namespace ProbeGrid.Tests.Cli;

/// <summary>A small probe sweep run once on the embedded grid by the real `probegrid run`, for `probegrid animate` to draw.</summary>
public sealed class AnimatedSweep : IDisposable
{
    public const string SweepId = "animated";
    public const int Checkpoints = 3;

    public AnimatedSweep()
    {
        GridTestRun.WriteCheckpoints(Root.Path, Checkpoints);
        File.WriteAllText(Path.Combine(Root.Path, "spec.json"), $$"""
            {
              "sweepId": "{{SweepId}}",
              "model": { "checkpoints": "run" },
              "dataset": { "name": "{{DatasetCatalog.GaussianSignName}}", "parameters": { "dimension": 16, "trainCount": 400, "validationCount": 100, "testCount": 200 }, "seed": 1 },
              "reduction": { "kind": "flatten" },
              "analyses": [ { "kind": "probe", "parameters": { "optimizer": "rmsprop", "maxEpochs": 4, "patience": 3 } } ]
            }
            """);
        var run = CliProcess.Run(Root.Path, TimeSpan.FromMinutes(4), "run", "spec.json", "--out", "out");
        if (run.ExitCode != 0) throw new InvalidOperationException($"the sweep failed (exit {run.ExitCode}):{Environment.NewLine}{run.Errors}");
        Results = MetricCsv.Read(Path.Combine(Root.Path, "out", "results.csv"));
    }

    public TemporaryFolder Root { get; } = new();

    public IReadOnlyList<MetricValue> Results { get; }

    public void Dispose() => Root.Dispose();
}
