using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid submit SPEC --cluster REDIS</c>: hands a sweep to a running cluster and returns at
/// once, printing the sweep id; `probegrid watch` follows it. Submitting the same spec again resumes it.
/// </summary>
public static class SubmitCommand
{
    private static readonly Argument<string> Spec = new("spec") { Description = "the sweep spec (JSON); see examples/" };

    public static Command Build()
    {
        var command = new Command("submit", "Submit a sweep to a running cluster (--cluster) and return at once");
        command.Arguments.Add(Spec);
        command.Options.Add(RunCommand.Follow);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "submit", ct, async (session, logger) =>
        {
            if (session.IsEmbedded)
            {
                logger.LogError("submit needs a running cluster: give --cluster REDIS (or PROBEGRID_CLUSTER); on this machine alone use `probegrid run`");
                return ExitCodes.BadInput;
            }
            if (!SpecFile.TryRead(result.GetValue(Spec)!, logger, null, out var spec, out var sweepId, result.GetValue(RunCommand.Follow))) return ExitCodes.BadInput;
            var submitted = await session.Client.SubmitAsync(spec, sweepId);
            if (!submitted.Accepted)
            {
                SpecFile.LogRejection(logger, sweepId, submitted);
                return ExitCodes.BadInput;
            }
            logger.LogInformation("Sweep {SweepId} submitted: {Total} units, {Done} already done; follow it with `probegrid watch {SweepId}`",
                sweepId, submitted.Status.TotalUnits, submitted.Status.Succeeded, sweepId);
            Console.Out.WriteLine(sweepId);
            return ExitCodes.Success;
        }));
        return command;
    }
}
