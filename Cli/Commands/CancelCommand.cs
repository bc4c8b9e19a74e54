using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Cli.Commands;

/// <summary><c>probegrid cancel SWEEP</c>: stop dispatching a sweep's units; finished units keep their results, and `run` with the same spec resumes it.</summary>
public static class CancelCommand
{
    private static readonly Argument<string> Sweep = new("sweep") { Description = "sweep id" };

    public static Command Build()
    {
        var command = new Command("cancel", "Stop a sweep: nothing more is dispatched; finished results are kept");
        command.Arguments.Add(Sweep);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "cancel", ct, async (session, logger) =>
        {
            var client = session.Client;
            var id = result.GetValue(Sweep)!;
            var status = await client.CancelAsync(id);
            if (status.Phase == SweepPhase.Unknown)
                return GridCommand.SweepNotFound(logger, id);
            Console.Out.WriteLine($"{status.Phase.ToString().ToLowerInvariant(),-10} {ProgressView.Describe(status)}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
