using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Logging;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client;
using ProbeGrid.Client.Export;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Silo.Hosting;
using ProbeGrid.Silo.Storage;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid run SPEC</c>: runs a sweep on the embedded grid with a live progress bar, then
/// writes results.csv, plots and (for a discarding sweep) the last checkpoint's pixel maps. Interrupted (Ctrl-C, or killed) and run again, it resumes
/// without recomputing finished units. Exits 1 when units failed.
/// </summary>
public static class RunCommand
{
    private static readonly Argument<string> Spec = new("spec") { Description = "the sweep spec (JSON); see examples/" };
    private static readonly Option<string?> Out = new("--out") { Description = "output folder for results.csv and plots (default out/<sweep id>)" };
    public static readonly Option<bool> Follow = new("--follow") { Description = "follow the training run: keep analysing checkpoints as they land, until it finishes (or `probegrid stop`)" };

    public static Command Build()
    {
        var command = new Command("run", "Run a sweep on the embedded grid (this process) and write results.csv and plots");
        command.Arguments.Add(Spec);
        command.Options.Add(Out);
        command.Options.Add(Follow);
        command.SetAction((result, ct) => Execute(result, ct));
        return command;
    }

    private static async Task<int> Execute(ParseResult result, CancellationToken ct)
    {
        var state = GlobalOptions.StateFolder(result);
        using var loggers = LogSetup.Create(result.GetValue(GlobalOptions.LogLevel), Path.Combine(state, "logs"));
        var logger = loggers.CreateLogger("probegrid.run");
        // On the embedded grid this machine's planner is the one that will check the spec, so a spec read with
        // problems is also planned here and every problem is reported at once; a cluster's silos may see other files.
        var planner = GlobalOptions.ClusterRedis(result) is null ? new SweepPlanner(GlobalOptions.DataRoots(result), Directory.GetCurrentDirectory()) : null;
        if (!SpecFile.TryRead(result.GetValue(Spec)!, logger, planner is null ? null : (s, id) => SpecFile.PlanningProblems(planner, s, id), out var spec, out var sweepId,
                result.GetValue(Follow)))
            return ExitCodes.BadInput;
        Console.Out.WriteLine(sweepId);

        try
        {
            await using var session = await GridSession.OpenAsync(result, ct);
            return await RunAsync(session, spec, sweepId, result.GetValue(Out), state, logger, ct, training: null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogWarning(GlobalOptions.ClusterRedis(result) is null
                ? "Interrupted: finished units are saved; run the same command again to resume"
                : "Stopped watching; the sweep goes on in the cluster: `probegrid watch` follows it");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (GridErrors.IsReported(e))
        {
            return GridErrors.Report(e, logger);
        }
        catch (ClusterUnreachableException e)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.BadInput;
        }
    }

    /// <summary>
    /// Submits the sweep to <paramref name="session"/>'s grid, shows its progress until it finishes, and writes results.csv
    /// and plots into <paramref name="outFolder"/> (default out/SWEEP). <paramref name="training"/>, when given, is a training
    /// run in this process that the sweep follows (`train --analyse`): should it fail, the sweep stops following.
    /// On the embedded grid a following sweep also heeds `probegrid stop` run in another process (<see cref="StopRequests"/> in <paramref name="stateFolder"/>).
    /// </summary>
    public static async Task<int> RunAsync(GridSession session, SweepSpec spec, string sweepId, string? outFolder, string stateFolder, ILogger logger, CancellationToken ct, Task? training)
    {
        var client = session.Client;
        {
            var submitted = await client.SubmitAsync(spec, sweepId);
            if (!submitted.Accepted)
            {
                SpecFile.LogRejection(logger, sweepId, submitted);
                return ExitCodes.BadInput;
            }
            var status = submitted.Status;
            logger.LogInformation("Sweep {SweepId}: {Total} units, {Done} already done", sweepId, status.TotalUnits, status.Succeeded);

            // A training run that fails marks nothing in index.json: stop following it here (an interrupted one is continued later, and so is its sweep).
            _ = training?.ContinueWith(t => t.IsFaulted ? client.StopAsync(sweepId) : Task.CompletedTask, TaskScheduler.Default).Unwrap();
            var output = Path.GetFullPath(outFolder ?? Path.Combine("out", sweepId));
            // A following sweep's curves grow: results.csv and the plots are rewritten as checkpoints are analysed (at most every 10 s).
            var lastWrite = DateTime.MinValue;
            async Task WriteSoFar()
            {
                if (DateTime.UtcNow - lastWrite < TimeSpan.FromSeconds(10)) return;
                lastWrite = DateTime.UtcNow;
                var soFar = await client.GetResultsAsync(sweepId);
                Directory.CreateDirectory(output);
                MetricCsv.Write(Path.Combine(output, "results.csv"), soFar);
                SweepOutputs.WritePlots(soFar, output, SweepOutputs.ChanceError(spec.Dataset.Name, spec.Dataset.Parameters)).ToList();
            }
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (session.IsEmbedded && spec.Follow is not null)
                _ = StopRequests.WatchAsync(stateFolder, sweepId, async () =>
                {
                    logger.LogInformation("Sweep {SweepId}: `probegrid stop` asked it to stop following", sweepId);
                    await client.StopAsync(sweepId);
                }, watching.Token);
            var final = await ProgressView.WatchAsync(client, sweepId, logger, ct, spec.Follow is null ? null : WriteSoFar);
            await watching.CancelAsync();
            var results = await client.GetResultsAsync(sweepId);
            Directory.CreateDirectory(output);
            MetricCsv.Write(Path.Combine(output, "results.csv"), results);
            foreach (var plot in SweepOutputs.WritePlots(results, output, SweepOutputs.ChanceError(spec.Dataset.Name, spec.Dataset.Parameters)))
                logger.LogInformation("Wrote {Plot}", plot);
            foreach (var figure in await SweepOutputs.WriteMapsAsync(client, sweepId, results, output))
                logger.LogInformation("Wrote {Plot}", figure);
            logger.LogInformation("Sweep {SweepId} {Phase}: {Succeeded} units succeeded, {Failed} failed; {Rows} metric values in {Results}",
                sweepId, final.Phase, final.Succeeded, final.Failed, results.Length, Path.Combine(output, "results.csv"));

            if (final.Failed == 0) return ExitCodes.Success;
            foreach (var failure in (await client.GetFailuresAsync(sweepId)).Take(10))
                logger.LogError("Unit {Unit} failed after {Attempts} attempt(s): {Cause}", failure.Key, failure.Attempts, failure.Cause);
            logger.LogError("{Failed} unit(s) failed: `probegrid failures {SweepId}` lists them all; fix the cause and run the same command again to retry them", final.Failed, sweepId);
            return ExitCodes.Failed;
        }
    }
}
