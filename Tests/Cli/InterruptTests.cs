using System.Globalization;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid;

namespace ProbeGrid.Tests.Cli;

/// <summary>
/// Ctrl-C (SIGINT) or SIGTERM stops `probegrid run` cleanly: the executor's jobs are cancelled and awaited, the
/// grid shuts down, and the command exits 130 with one line on how to resume; the interrupted units are not failures.
/// </summary>
public sealed class InterruptTests
{
    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public void An_interrupted_run_exits_130_saying_how_to_resume_and_records_no_failure(string signal)
    {
        using var root = new TempFolder();
        GridTestRun.WriteCheckpoints(root.Path, 4);
        // Probes that take far longer than the test waits, so the signal lands while libtorch is busy.
        File.WriteAllText(Path.Combine(root.Path, "spec.json"), $$"""
            {
              "sweepId": "interrupted",
              "model": { "checkpoints": "run" },
              "dataset": { "name": "{{DatasetCatalog.GaussianSignName}}", "parameters": { "dimension": 16, "trainCount": 20000, "validationCount": 500, "testCount": 500 }, "seed": 1 },
              "layers": "*",
              "reduction": { "kind": "flatten" },
              "analyses": [ { "kind": "probe", "parameters": { "optimizer": "adam", "maxEpochs": 5000, "patience": 5000 } } ]
            }
            """);

        using (var run = CliProcess.Start(root.Path, "run", "spec.json"))
        {
            var cache = Path.Combine(root.Path, ".probegrid", "cache");
            var deadline = DateTime.UtcNow.AddMinutes(2);
            // Activations written: the probes' job is running on the executor.
            while (!(Directory.Exists(cache) && Directory.EnumerateFiles(cache, "*.npy", SearchOption.AllDirectories).Any()))
            {
                Assert.True(DateTime.UtcNow < deadline, "the run never started computing:" + Environment.NewLine + run.Errors);
                Thread.Sleep(200);
            }
            Thread.Sleep(1000);
            run.Signal(signal);

            var code = run.WaitForExit(TimeSpan.FromSeconds(90));
            Assert.True(code == 130, $"exit code {code.ToString(CultureInfo.InvariantCulture)}:{Environment.NewLine}{run.Errors}");
            Assert.Contains("Interrupted: finished units are saved; run the same command again to resume", run.Errors);
            Assert.DoesNotContain("Unhandled exception", run.Errors);
            Assert.DoesNotContain("dispatching stopped unexpectedly", run.Errors);
            Assert.Equal("interrupted", run.Output.Trim());
        }

        var failures = CliProcess.Run(root.Path, TimeSpan.FromMinutes(1), "failures", "interrupted", "--json");
        Assert.Equal(0, failures.ExitCode);
        Assert.Equal("[]", failures.Output.Trim());
    }
}
