using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Logging;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

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
            var name = result.GetValue(Checkpoint);
            var checkpoint = name is null ? plan.Checkpoints[^1] : plan.Checkpoints.FirstOrDefault(c => c.Name == name);
            if (checkpoint is null)
            {
                logger.LogError("--checkpoint '{Name}' is not in the sweep; its checkpoints are {Names}", name, string.Join(", ", plan.Checkpoints.Select(c => c.Name)));
                return ExitCodes.BadInput;
            }
            var repeat = result.GetValue(Repeat);
            var job = new ActivationJob(new DatasetProvider(), new ActivationCache(Path.Combine(state, "cache")));
            var inputs = new JobInputs(plan.Architecture, plan.ModelParameters, plan.Spec.Model.InitSeed + repeat, checkpoint, plan.Spec.Dataset, repeat,
                plan.Spec.Reduction, plan.Spec.Resources.BatchSize);
            var acts = job.Run(inputs, plan.Layers, TorchSharp.torch.CPU, ct);
            var folder = Path.GetFullPath(result.GetValue(Out)!);
            FeatureMatrix? Sets(ProbeTargets targets) => targets.LabelSets is { } sets ? new FeatureMatrix(sets, targets.Count, acts.ClassCount) : null;
            ActivationExport.ExportNpy(Path.Combine(folder, "train"), acts.Layers.ToDictionary(l => l.Key, l => l.Value.Train), acts.TrainLabels, Sets(acts.TrainTargets));
            ActivationExport.ExportNpy(Path.Combine(folder, "validation"), acts.Layers.ToDictionary(l => l.Key, l => l.Value.Validation), acts.ValidationLabels, Sets(acts.ValidationTargets));
            ActivationExport.ExportNpy(Path.Combine(folder, "test"), acts.Layers.ToDictionary(l => l.Key, l => l.Value.Test), acts.TestLabels, Sets(acts.TestTargets));
            logger.LogInformation("Exported {Layers} layer(s) of {Checkpoint} to {Folder}/{{train,validation,test}}", acts.Layers.Count, checkpoint.Name, folder);
            // Layers whose activations are NaN or infinite have nothing to export: named, and the export counts as failed.
            foreach (var (tap, where) in acts.NonFinite.OrderBy(n => n.Key, StringComparer.Ordinal))
                logger.LogError("Layer {Tap} not exported: {Cause}", tap, where.Describe());
            return acts.NonFinite.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
        }
        catch (Exception e) when (e is SpecException or CheckpointException)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.BadInput;
        }
    }
}
