using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.Cli.Logging;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid rescale --checkpoint FILE --layer conv1 --next conv2 [--factor 4] --out FILE</c>: a copy of a
/// checkpoint with one layer's weights and bias divided by the factor and the next layer's weights multiplied
/// by it (the information-discarding paper's coherency check). The network is the one model.json beside the
/// checkpoint describes; the copy gets that model.json too, so it can be swept like the original.
/// </summary>
public static class RescaleCommand
{
    private static readonly Option<string> Checkpoint = new("--checkpoint") { Description = "the checkpoint file (model.json beside it names its network)", Required = true };
    private static readonly Option<string> Layer = new("--layer") { Description = "the layer whose output is divided by the factor (a module name, e.g. conv1)", Required = true };
    private static readonly Option<string> Next = new("--next") { Description = "the layer that reads it and is multiplied by the factor (e.g. conv2)", Required = true };
    private static readonly Option<double> Factor = new("--factor") { Description = "k (the paper's 4)", DefaultValueFactory = _ => 4 };
    private static readonly Option<string> Out = new("--out") { Description = "the rescaled checkpoint to write (in another folder than the original, which keeps its checkpoints)", Required = true };

    public static Command Build()
    {
        var command = new Command("rescale", "Write a checkpoint with neighbouring layers rescaled (w/k, b/k; k·w of the next): the same function, for the coherency check");
        foreach (var option in new Option[] { Checkpoint, Layer, Next, Factor, Out }) command.Options.Add(option);
        command.SetAction((result, ct) => Task.Run(() => Execute(result), ct));
        return command;
    }

    private static int Execute(ParseResult result)
    {
        var state = GlobalOptions.StateFolder(result);
        using var loggers = LogSetup.Create(result.GetValue(GlobalOptions.LogLevel), Path.Combine(state, "logs"));
        var logger = loggers.CreateLogger("probegrid.rescale");
        var source = Path.GetFullPath(result.GetValue(Checkpoint)!);
        var target = Path.GetFullPath(result.GetValue(Out)!);
        var sourceFolder = Path.GetDirectoryName(source)!;
        var targetFolder = Path.GetDirectoryName(target)!;
        var descriptor = ModelDescriptor.TryLoad(sourceFolder);
        if (descriptor is null)
        {
            logger.LogError("No {File} beside {Checkpoint}: rescale needs the network's description; `probegrid train` writes it", ModelDescriptor.FileName, source);
            return ExitCodes.BadInput;
        }
        if (string.Equals(sourceFolder, targetFolder, StringComparison.Ordinal))
        {
            logger.LogError("--out {Out} is in the checkpoint's own folder: write the rescaled copy to another folder, so a sweep over the original's checkpoints does not pick it up", target);
            return ExitCodes.BadInput;
        }
        try
        {
            using var model = descriptor.CreateModel();
            CheckpointFile.Load(model, source);
            CoherencyRescaling.Apply(model, result.GetValue(Layer)!, result.GetValue(Next)!, result.GetValue(Factor));
            CheckpointFile.Save(model, target);
            descriptor.Save(targetFolder);
            logger.LogInformation("Wrote {Target}: {Layer} divided by {Factor}, {Next} multiplied by it", target, result.GetValue(Layer), result.GetValue(Factor), result.GetValue(Next));
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is ArgumentException or CheckpointException)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.BadInput;
        }
    }
}
