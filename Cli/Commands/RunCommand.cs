using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Cli.Local;
using ProbeGrid.Cli.Logging;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Cli.Commands;

/// <summary><c>probegrid run SPEC</c>: validates a sweep spec, runs it, writes results.csv and plots.</summary>
public static class RunCommand
{
    private static readonly Argument<string> Spec = new("spec") { Description = "the sweep spec (JSON); see examples/" };
    private static readonly Option<string?> Out = new("--out") { Description = "output folder (default out/<sweep id>)" };

    public static Command Build()
    {
        var command = new Command("run", "Run a sweep spec on this machine and write results.csv and plots");
        command.Arguments.Add(Spec);
        command.Options.Add(Out);
        command.SetAction((result, ct) => Task.Run(() => Execute(result, ct), ct));
        return command;
    }

    private static int Execute(ParseResult result, CancellationToken ct)
    {
        var state = GlobalOptions.StateFolder(result);
        using var loggers = LogSetup.Create(result.GetValue(GlobalOptions.LogLevel), Path.Combine(state, "logs"));
        var logger = loggers.CreateLogger("probegrid.run");
        var specPath = result.GetValue(Spec)!;
        try
        {
            var spec = SweepSpecReader.ReadFile(specPath);
            var sweepId = spec.SweepId ?? DefaultSweepId(specPath);
            var planner = new SweepPlanner(GlobalOptions.DataRoots(result), Directory.GetCurrentDirectory());
            var plan = planner.Plan(spec, sweepId);
            var output = Path.GetFullPath(result.GetValue(Out) ?? Path.Combine("out", sweepId));
            logger.LogInformation("Sweep {SweepId}: {Checkpoints} checkpoint(s) x {Layers} layer(s) x {Analyses} analysis(es) x {Repeats} repeat(s) = {Units} units -> {Output}",
                sweepId, plan.Checkpoints.Length, plan.Layers.Length, spec.Analyses.Length, spec.Repeats, plan.UnitCount, output);

            var runner = new LocalSweepRunner(new ActivationJob(new DatasetProvider(), new ActivationCache(Path.Combine(state, "cache"))), logger);
            var results = runner.Run(plan, output, ct);
            foreach (var plot in SweepOutputs.WritePlots(results, output, DatasetCatalog.ClassCount(spec.Dataset.Name)))
                logger.LogInformation("Wrote {Plot}", plot);
            logger.LogInformation("Sweep {SweepId} done: {Rows} metric values in {Results}", sweepId, results.Count, Path.Combine(output, LocalSweepRunner.ResultsFile));
            Console.WriteLine(sweepId);
            return ExitCodes.Success;
        }
        catch (SpecException e)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Interrupted: finished checkpoints are saved; run the same command again to resume");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>A spec without a sweepId gets one from its file name and content, so re-running it resumes.</summary>
    public static string DefaultSweepId(string specPath)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(File.ReadAllText(specPath)));
        var stem = new string(Path.GetFileNameWithoutExtension(specPath).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return $"{stem}-{Convert.ToHexStringLower(hash)[..8]}";
    }
}
