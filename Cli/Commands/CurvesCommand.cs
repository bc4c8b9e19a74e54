using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client.Export;
using ProbeGrid.Client.Queries;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid curves SWEEP --metric NAME [--along layer|checkpoint] [--format csv|json|png|heatmap] [--out FILE]</c>:
/// a metric's values (csv), its curves with mean and spread over repeats (json), or a plot.
/// </summary>
public static class CurvesCommand
{
    private static readonly Argument<string> Sweep = new("sweep") { Description = "sweep id" };
    private static readonly Option<string> Metric = new("--metric") { Description = "metric name, e.g. probe.test_error (see README, Metrics)", Required = true };
    private static readonly Option<string> Along = new("--along") { Description = "layer (one line per checkpoint) or checkpoint (one line per layer)", DefaultValueFactory = _ => "layer" };
    private static readonly Option<string> Format = new("--format") { Description = "csv (values), json (curves), png (lines) or heatmap (checkpoint x layer)", DefaultValueFactory = _ => "csv" };
    private static readonly Option<string?> Out = new("--out") { Description = "file to write (default: stdout for csv/json, <sweep>-<metric>-<along>.png for plots)" };
    private static readonly Option<string[]> Layers = new("--layer") { Description = "only these layers (repeatable)" };
    private static readonly Option<string[]> Checkpoints = new("--checkpoint") { Description = "only these checkpoints (repeatable)" };

    public static Command Build()
    {
        var command = new Command("curves", "Query a sweep's curves as CSV, JSON or a PNG plot");
        command.Arguments.Add(Sweep);
        foreach (var option in new Option[] { Metric, Along, Format, Out, Layers, Checkpoints }) command.Options.Add(option);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "curves", ct, async (session, logger) =>
        {
            var client = session.Client;
            var id = result.GetValue(Sweep)!;
            var metric = result.GetValue(Metric)!;
            var format = result.GetValue(Format)!;
            var problems = new List<string>();
            var along = CurveRequest.ParseAlong(result.GetValue(Along), name => "--" + name, problems);
            if (format is not ("csv" or "json" or "png" or "heatmap")) problems.Add($"--format '{format}' must be csv, json, png or heatmap");
            var spec = await client.GetSpecAsync(id);
            if (spec is null) problems.Add($"no sweep '{id}' in this state folder; `probegrid status` lists the sweeps there");
            if (problems.Count > 0)
            {
                foreach (var p in problems) logger.LogError("{Problem}", p);
                return ExitCodes.BadInput;
            }

            var query = new CurveQuery(metric, along!.Value, [.. result.GetValue(Layers) ?? []], [.. result.GetValue(Checkpoints) ?? []]);
            var values = await CurveRequest.ValuesAsync(client, id, query, problems);
            if (problems.Count > 0)
            {
                logger.LogError("{Problem}", problems[0]);
                return ExitCodes.BadInput;
            }

            var curve = CurveBuilder.Build(values, metric, query.Along);
            var outPath = result.GetValue(Out);
            switch (format)
            {
                case "csv":
                    TextOutput.Write(outPath, writer => MetricCsv.Write(writer, values));
                    break;
                case "json":
                    TextOutput.Write(outPath, writer => writer.WriteLine(JsonExport.Serialize(curve)));
                    break;
                default:
                    var path = Path.GetFullPath(outPath ?? $"{id}-{metric}-{(format == "heatmap" ? "heatmap" : result.GetValue(Along))}.png");
                    var chance = metric.EndsWith("_error", StringComparison.Ordinal) ? SweepOutputs.ChanceError(spec!.Dataset.Name, spec.Dataset.Parameters) : null;
                    if (format == "heatmap") CurvePlotter.SaveHeatmap(along == CurveAxis.Layer ? curve : CurveBuilder.Build(values, metric, CurveAxis.Layer), path);
                    else CurvePlotter.SaveLines(curve, path, chanceLevel: chance);
                    logger.LogInformation("Wrote {Plot}", path);
                    break;
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
