using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client.Export;
using ProbeGrid.Client.Queries;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid spectrum --sweep ID [--sweep ID ...] [--metric complexity.significance] [--layer L] [--checkpoint C | --all-checkpoints] [--format csv|json|png] [--out FILE]</c>:
/// the complexity spectra of sweeps (a per-order metric vs the order l), one line per sweep, checkpoint
/// and layer. By default each sweep's last checkpoint: one network per sweep, as the paper compares them.
/// </summary>
public static class SpectrumCommand
{
    private static readonly Option<string[]> Sweeps = new("--sweep") { Description = "sweep id (repeatable: one line per sweep)", Required = true };
    private static readonly Option<string> Metric = new("--metric") { Description = "per-order metric without its .l<order> suffix", DefaultValueFactory = _ => MetricNames.ComplexitySignificance };
    private static readonly Option<string[]> Layers = new("--layer") { Description = "only these layers (repeatable)" };
    private static readonly Option<string[]> Checkpoints = new("--checkpoint") { Description = "these checkpoints (repeatable; default: each sweep's last)" };
    private static readonly Option<bool> AllCheckpoints = new("--all-checkpoints") { Description = "one line per checkpoint: the spectrum over training" };
    private static readonly Option<string> Format = new("--format") { Description = "csv (values), json (curves) or png", DefaultValueFactory = _ => "csv" };
    private static readonly Option<string?> Out = new("--out") { Description = "file to write (default: stdout for csv/json, spectrum-<metric>.png for png)" };

    public static Command Build()
    {
        var command = new Command("spectrum", "Complexity spectra: a per-order metric of the complexity analysis vs the order, for one or more sweeps");
        foreach (var option in new Option[] { Sweeps, Metric, Layers, Checkpoints, AllCheckpoints, Format, Out }) command.Options.Add(option);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "spectrum", ct, async (session, logger) =>
        {
            var metric = result.GetValue(Metric)!;
            var format = result.GetValue(Format)!;
            var layers = result.GetValue(Layers) ?? [];
            var checkpoints = result.GetValue(Checkpoints) ?? [];
            var problems = new List<string>();
            if (format is not ("csv" or "json" or "png")) problems.Add($"--format '{format}' must be csv, json or png");
            var (rows, curve) = await SpectrumRequest.SelectAsync(session.Client, result.GetValue(Sweeps)!, metric, layers, checkpoints,
                result.GetValue(AllCheckpoints), name => "--" + name, problems);
            if (problems.Count > 0)
            {
                foreach (var p in problems) logger.LogError("{Problem}", p);
                return ExitCodes.BadInput;
            }

            var outPath = result.GetValue(Out);
            switch (format)
            {
                case "csv":
                    TextOutput.Write(outPath, writer => MetricCsv.WriteWithSweeps(writer, rows));
                    break;
                case "json":
                    TextOutput.Write(outPath, writer => writer.WriteLine(JsonExport.Serialize(curve)));
                    break;
                default:
                    var path = Path.GetFullPath(outPath ?? $"spectrum-{metric}.png");
                    CurvePlotter.SaveLines(curve, path);
                    logger.LogInformation("Wrote {Plot}", path);
                    break;
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
