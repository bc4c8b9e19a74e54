using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Cli.Commands;

/// <summary><c>probegrid failures SWEEP [--json]</c>: the units that failed, with their causes.</summary>
public static class FailuresCommand
{
    private static readonly Argument<string> Sweep = new("sweep") { Description = "sweep id" };
    private static readonly Option<bool> Json = new("--json") { Description = "print JSON instead of text" };

    public static Command Build()
    {
        var command = new Command("failures", "List a sweep's failed units with their causes");
        command.Arguments.Add(Sweep);
        command.Options.Add(Json);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "failures", ct, async (session, logger) =>
        {
            var client = session.Client;
            var id = result.GetValue(Sweep)!;
            if ((await client.GetStatusAsync(id)).Phase == SweepPhase.Unknown)
                return GridCommand.SweepNotFound(logger, id);
            var failures = await client.GetFailuresAsync(id);
            if (result.GetValue(Json)) Console.Out.WriteLine(JsonExport.Serialize(failures));
            else foreach (var f in failures) Console.Out.WriteLine($"{f.Key}\tattempts={f.Attempts}\t{f.Cause}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
