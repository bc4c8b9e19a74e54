using System.Globalization;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Client.Export;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Cli;

namespace ProbeGrid.Tests.Follow;

/// <summary>
/// The embedded grid following a real `probegrid train`: training in one process and `run --follow` in another, and
/// both in one with `train --analyse`. Every checkpoint is analysed once, the sweep ends with the run, and the numbers
/// are those of a sweep run once training was over.
/// </summary>
public sealed class FollowCliTests
{
    private static readonly string[] Train =
    [
        "train", "--model", "mlp", "--param", "depth=3", "--param", "width=16", "--dataset", DatasetCatalog.GaussianSignName,
        "--dataset-param", "dimension=16", "--dataset-param", "trainCount=400", "--dataset-param", "validationCount=100", "--dataset-param", "testCount=200",
        "--steps", "1500", "--batch-size", "32", "--checkpoint-every-steps", "300", "--seed", "3", "--out", "run",
    ];

    /// <summary>Checkpoints the run writes: steps 0, 300, ..., 1500.</summary>
    private const int Checkpoints = 6;

    private const int Taps = 5;

    private static void WriteSpec(string folder, bool withCheckpoints = true) => File.WriteAllText(Path.Combine(folder, "spec.json"), $$"""
        {
          "model": { {{(withCheckpoints ? "\"checkpoints\": \"run\"" : "")}} },
          "dataset": { "name": "{{DatasetCatalog.GaussianSignName}}", "parameters": { "dimension": 16, "trainCount": 400, "validationCount": 100, "testCount": 200 }, "seed": 1 },
          "reduction": { "kind": "flatten" },
          "analyses": [ { "kind": "probe", "parameters": { "optimizer": "rmsprop", "maxEpochs": 4, "patience": 3 } } ]
        }
        """);

    [Fact]
    public void A_run_that_follows_training_in_another_process_analyses_each_checkpoint_once_and_matches_a_run_after_it()
    {
        using var root = new TempFolder();
        WriteSpec(root.Path);
        using var train = CliProcess.Start(root.Path, [.. Train, "--state", "train-state"]);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(Path.Combine(root.Path, "run", "model.json")))
        {
            Assert.True(DateTime.UtcNow < deadline, "training never began:" + Environment.NewLine + train.Errors);
            Thread.Sleep(100);
        }

        var following = CliProcess.Run(root.Path, TimeSpan.FromMinutes(6), "run", "spec.json", "--follow", "--out", "following");
        Assert.True(following.ExitCode == 0, $"exit {following.ExitCode}:{Environment.NewLine}{following.Errors}");
        Assert.Equal(0, train.WaitForExit(TimeSpan.FromMinutes(1)));
        Assert.Contains("newest analysed: step-", following.Errors);
        Assert.Contains("training finished", following.Errors);
        var live = MetricCsv.Read(Path.Combine(root.Path, "following", "results.csv"));
        Assert.Equal(Checkpoints, live.Select(v => v.Checkpoint).Distinct().Count());
        Assert.Equal(live.Count, live.Select(v => (v.Checkpoint, v.Layer, v.Repeat, v.Metric)).Distinct().Count());
        Assert.Equal(Checkpoints * Taps, live.Select(v => (v.Checkpoint, v.Layer)).Distinct().Count());

        // The same spec once training is over: another sweep (its id differs without --follow), the same numbers.
        var after = CliProcess.Run(root.Path, TimeSpan.FromMinutes(4), "run", "spec.json", "--out", "after");
        Assert.True(after.ExitCode == 0, after.Errors);
        Assert.NotEqual(following.Output.Trim(), after.Output.Trim());
        var expected = MetricCsv.Read(Path.Combine(root.Path, "after", "results.csv")).ToDictionary(v => (v.Checkpoint, v.Layer, v.Metric));
        Assert.Equal(expected.Count, live.Count);
        foreach (var value in live)
        {
            var reference = expected[(value.Checkpoint, value.Layer, value.Metric)].Value;
            Assert.True(Math.Abs(reference - value.Value) <= 1e-4 * Math.Max(1, Math.Abs(reference)),
                $"{value.Checkpoint}/{value.Layer}/{value.Metric}: following {value.Value.ToString(CultureInfo.InvariantCulture)} vs after {reference.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    [Fact]
    public void Train_with_analyse_trains_and_analyses_live_in_one_command()
    {
        using var root = new TempFolder();
        WriteSpec(root.Path, withCheckpoints: false); // the --out folder is used
        var run = CliProcess.Run(root.Path, TimeSpan.FromMinutes(6), [.. Train, "--analyse", "spec.json", "--analyse-out", "live"]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}:{Environment.NewLine}{run.Errors}");
        Assert.Contains("analysed", run.Errors);
        Assert.Contains("after it landed", run.Errors);
        Assert.Contains("Validation accuracy", run.Errors);
        var results = MetricCsv.Read(Path.Combine(root.Path, "live", "results.csv"));
        Assert.Equal(Checkpoints * Taps, results.Select(v => (v.Checkpoint, v.Layer)).Distinct().Count());

        // A spec naming another folder than --out is refused, naming both.
        File.WriteAllText(Path.Combine(root.Path, "other.json"), File.ReadAllText(Path.Combine(root.Path, "spec.json")).Replace("\"model\": {  }", "\"model\": { \"checkpoints\": \"elsewhere\" }"));
        var refused = CliProcess.Run(root.Path, TimeSpan.FromMinutes(2), [.. Train, "--analyse", "other.json"]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("is not the folder this run writes (--out", refused.Errors);
    }
}
