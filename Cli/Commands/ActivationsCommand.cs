using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Logging;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid activations export SPEC --checkpoint NAME --out DIR</c>: the cached activations
/// of one checkpoint as NumPy .npy files (one per tap and split, plus the labels), for Python.
/// </summary>
public static class ActivationsCommand
{
    private static readonly Argument<string> Spec = new("spec") { Description = "the sweep spec (JSON) that names model, data, layers and reduction" };
    private static readonly Option<string?> Checkpoint = new("--checkpoint") { Description = "checkpoint name (file name without extension; default: the last)" };
    private static readonly Option<int> Repeat = new("--repeat") { Description = "repeat index (seeds data and untrained weights)" };
    private static readonly Option<string> Out = new("--out") { Description = "folder for the .npy files", Required = true };

    public static Command Build()
    {
        var export = new Command("export", "Export one checkpoint's activations and labels as .npy files");
        export.Arguments.Add(Spec);
        export.Options.Add(Checkpoint);
        export.Options.Add(Repeat);
        export.Options.Add(Out);
        export.SetAction((result, ct) => Task.Run(() => Execute(result, ct), ct));
        var command = new Command("activations", "Work with cached activations");
        command.Subcommands.Add(export);
        return command;
    }

    private static int Execute(ParseResult result, CancellationToken ct)
    {
        var state = GlobalOptions.StateFolder(result);
        using var loggers = LogSetup.Create(result.GetValue(GlobalOptions.LogLevel), Path.Combine(state, "logs"));
        var logger = loggers.CreateLogger("probegrid.activations");
        var specPath = result.GetValue(Spec)!;
        try
        {
            var spec = SweepSpecReader.ReadFile(specPath);
            var plan = new SweepPlanner(GlobalOptions.DataRoots(result), Directory.GetCurrentDirectory())
                .Plan(spec, spec.SweepId ?? SpecFile.DefaultSweepId(specPath));
            var problems = new List<string>();
            var checkpoint = ActivationExportJob.Find(plan, result.GetValue(Checkpoint), "--checkpoint", problems);
            if (checkpoint is null)
            {
                logger.LogError("{Problem}", problems[0]);
                return ExitCodes.BadInput;
            }
            var folder = Path.GetFullPath(result.GetValue(Out)!);
            var outcome = new ActivationExportJob(Path.Combine(state, "cache")).Run(plan, checkpoint, result.GetValue(Repeat), folder, ct);
            logger.LogInformation("Exported {Layers} layer(s) of {Checkpoint} to {Folder}/{{train,validation,test}}", outcome.Layers, checkpoint.Name, folder);
            // Layers whose activations are NaN or infinite have nothing to export: named, and the export counts as failed.
            foreach (var line in outcome.NotExported) logger.LogError("{NotExported}", line);
            return outcome.NotExported.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
        }
        catch (Exception e) when (e is SpecException or CheckpointException)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.BadInput;
        }
    }
}
