using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Cli.Commands;

/// <summary><c>probegrid watch SWEEP</c>: a live progress bar until the sweep finishes; exit 1 if units failed. Ctrl-C stops watching, not the sweep.</summary>
public static class WatchCommand
{
    private static readonly Argument<string> Sweep = new("sweep") { Description = "sweep id" };

    public static Command Build()
    {
        var command = new Command("watch", "Follow a sweep's progress until it finishes");
        command.Arguments.Add(Sweep);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "watch", ct, async (session, logger) =>
        {
            var id = result.GetValue(Sweep)!;
            if (session.IsEmbedded) await session.Client.ResumeAsync(id); // the embedded grid's sweeps run only while a command hosts them
            var final = await ProgressView.WatchAsync(session.Client, id, logger, ct);
            if (final.Phase == SweepPhase.Unknown)
                return GridCommand.SweepNotFound(logger, id);
            logger.LogInformation("Sweep {SweepId} {Phase}: {Succeeded} units succeeded, {Failed} failed", id, final.Phase, final.Succeeded, final.Failed);
            return final.Failed == 0 ? ExitCodes.Success : ExitCodes.Failed;
        }));
        return command;
    }
}
