using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Logging;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Silo.Hosting;
using ProbeGrid.Silo.Storage;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid stop SWEEP</c>: a sweep that follows a training run stops looking for new checkpoints; what is planned
/// finishes, then the sweep completes (`cancel` stops at once instead). On the embedded grid, when another process
/// (`run --follow`, `train --analyse`) holds the state folder, the request is left for it (<see cref="StopRequests"/>).
/// </summary>
public static class StopCommand
{
    private static readonly Argument<string> Sweep = new("sweep") { Description = "sweep id" };

    public static Command Build()
    {
        var command = new Command("stop", "Stop following a training run: the checkpoints planned finish, then the sweep completes");
        command.Arguments.Add(Sweep);
        command.SetAction(Execute);
        return command;
    }

    private static async Task<int> Execute(ParseResult result, CancellationToken ct)
    {
        var id = result.GetValue(Sweep)!;
        var state = GlobalOptions.StateFolder(result);
        if (GlobalOptions.ClusterRedis(result) is null)
        {
            // The process that runs the sweep holds the state folder: ask it. Else this command hosts the grid itself.
            try
            {
                await using var probe = await GridSession.OpenAsync(result, ct);
            }
            catch (StateFolderInUseException)
            {
                using var loggers = LogSetup.Create(result.GetValue(GlobalOptions.LogLevel), Path.Combine(state, "logs"));
                StopRequests.Request(state, id);
                loggers.CreateLogger("probegrid.stop").LogInformation(
                    "Another probegrid process runs the embedded grid in {State}: asked it to stop following sweep {SweepId} (it does within a second if it runs that sweep)", state, id);
                return ExitCodes.Success;
            }
            catch (Exception e) when (e is StateStoreException or ClusterUnreachableException)
            {
                // reported by the command below, in the usual way
            }
        }
        return await GridCommand.RunAsync(result, "stop", ct, async (session, logger) =>
        {
            var status = await session.Client.StopAsync(id);
            if (status.Phase == SweepPhase.Unknown)
                return GridCommand.SweepNotFound(logger, id);
            if (status.Follow is null)
                logger.LogWarning("Sweep {SweepId} does not follow a training run: nothing to stop (`probegrid cancel {SweepId}` stops dispatching its units)", id, id);
            Console.Out.WriteLine($"{status.Phase.ToString().ToLowerInvariant(),-10} {ProgressView.Describe(status)}");
            return ExitCodes.Success;
        });
    }
}
