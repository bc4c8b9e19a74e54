using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Commands;
using ProbeGrid.Cli.Logging;
using ProbeGrid.Client;
using ProbeGrid.Silo.Hosting;
using ProbeGrid.Silo.Storage;

namespace ProbeGrid.Cli.Grid;

/// <summary>Runs a query command against the grid: logging, connection, and the errors every such command reports the same way.</summary>
public static class GridCommand
{
    public static async Task<int> RunAsync(ParseResult result, string name, CancellationToken ct, Func<GridSession, ILogger, Task<int>> body)
    {
        var state = GlobalOptions.StateFolder(result);
        using var loggers = LogSetup.Create(result.GetValue(GlobalOptions.LogLevel), Path.Combine(state, "logs"));
        var logger = loggers.CreateLogger("probegrid." + name);
        try
        {
            await using var session = await GridSession.OpenAsync(result, ct);
            return await body(session, logger);
        }
        catch (Exception e) when (GridErrors.IsReported(e))
        {
            return GridErrors.Report(e, logger);
        }
        catch (ClusterUnreachableException e)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogWarning(GlobalOptions.ClusterRedis(result) is null
                ? "Interrupted: finished units are saved; run the same command again to resume"
                : "Interrupted; the cluster's sweeps go on: `probegrid watch SWEEP` follows one");
            return ExitCodes.Interrupted;
        }
        catch (OrleansException e)
        {
            logger.LogError("The grid could not answer: {Message}", e.Message);
            return ExitCodes.Failed;
        }
    }

    /// <summary>Reports a sweep id the grid does not know; returns the exit code for it.</summary>
    public static int SweepNotFound(ILogger logger, string sweepId)
    {
        logger.LogError("No sweep '{SweepId}' here; `probegrid status` lists the sweeps", sweepId);
        return ExitCodes.BadInput;
    }
}
