using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Cli.Commands;

/// <summary><c>probegrid status [SWEEP] [--json]</c>: one sweep's progress, or every sweep's.</summary>
public static class StatusCommand
{
    private static readonly Argument<string?> Sweep = new("sweep") { Description = "sweep id (default: every sweep)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<bool> Json = new("--json") { Description = "print JSON instead of a table" };

    public static Command Build()
    {
        var command = new Command("status", "Show the progress of a sweep, or of every sweep");
        command.Arguments.Add(Sweep);
        command.Options.Add(Json);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "status", ct, async (session, logger) =>
        {
            var client = session.Client;
            var id = result.GetValue(Sweep);
            var ids = id is null ? (await client.ListSweepsAsync()).ToList() : [id];
            var statuses = new List<SweepStatus>();
            foreach (var sweep in ids) statuses.Add(await client.GetStatusAsync(sweep));
            if (id is not null && statuses[0].Phase == SweepPhase.Unknown)
                return GridCommand.SweepNotFound(logger, id);
            if (result.GetValue(Json)) Console.Out.WriteLine(id is null ? JsonExport.Serialize(statuses) : JsonExport.Serialize(statuses[0]));
            else foreach (var status in statuses) Console.Out.WriteLine($"{status.Phase.ToString().ToLowerInvariant(),-10} {ProgressView.Describe(status)}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
