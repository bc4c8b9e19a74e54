using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Commands;
using ProbeGrid.Client;
using ProbeGrid.Silo.Hosting;
using ProbeGrid.Silo.Storage;

namespace ProbeGrid.Cli.Grid;

/// <summary>
/// The errors of opening or using the grid that every command reports the same way, with their exit codes: the user's
/// to fix (credentials, a state folder in use or unreadable) or the grid's (a call that outlived its timeout).
/// </summary>
public static class GridErrors
{
    public static bool IsReported(Exception e) =>
        e is ClusterCredentialsException or StateFolderInUseException or StateStoreException or TimeoutException;

    /// <summary>Logs <paramref name="e"/> (one of <see cref="IsReported"/>'s) with its cause and fix; returns the exit code.</summary>
    public static int Report(Exception e, ILogger logger)
    {
        switch (e)
        {
            case ClusterCredentialsException credentials:
                foreach (var problem in credentials.Problems) logger.LogError("{Problem}", problem);
                return ExitCodes.BadInput;
            case TimeoutException timeout:
                logger.LogError("{Message}", ExplainTimeout(timeout));
                return ExitCodes.Failed;
            default:
                logger.LogError("{Message}", e.Message);
                return ExitCodes.BadInput;
        }
    }

    /// <summary>What a grain call that outlived Orleans' response timeout means to the user, instead of an unhandled exception.</summary>
    private static string ExplainTimeout(TimeoutException e) =>
        $"The grid did not answer in time ({FirstLine(e.Message)}). The silo is overloaded (other work on its cores) or one of the " +
        "cluster's silos stopped: nothing computed is lost; run the same command again, or `probegrid cluster` to see the silos.";

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\n', '\r']);
        var line = end < 0 ? message : message[..end];
        return line.Length > 160 ? line[..160] + "..." : line;
    }
}
