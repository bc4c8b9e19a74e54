using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid status [SWEEP] [--json]</c>: one sweep's progress, or every sweep's. A following sweep's line adds its backlog
/// and lag; for one such sweep, its newest analysed checkpoint and the checkpoints it left out (duplicates, skipped) follow.
/// </summary>
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
            // One following sweep: the newest analysed checkpoint, and the checkpoints it did not analyse, with why.
            if (id is not null && statuses[0].Follow is { } follow && !result.GetValue(Json))
            {
                if (await client.GetNewestAnalysedAsync(id) is { } newest) Console.Out.WriteLine($"{"",-10} {ProgressView.Describe(newest, follow)}");
                foreach (var c in (await client.GetFollowedAsync(id)).Where(c => c.Fate != CheckpointFate.Planned))
                    Console.Out.WriteLine($"{"",-10} {c.Checkpoint.Name} (step {c.Checkpoint.Step}): " + c.Fate switch
                    {
                        CheckpointFate.Duplicate => $"duplicate of {c.DuplicateOf} (same content), not analysed again",
                        CheckpointFate.Skipped => "skipped (thinning, or waiting when the sweep was stopped)",
                        _ => "waiting (newest-first: analysed when the grid catches up)",
                    });
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
