using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client.Export;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid animate SWEEP --metric M --out FILE.gif|FILE.mp4 [--along layer|checkpoint] [--fps N] [--size WxH] [--analysis A] [--layer L]... [--checkpoint C]...</c>:
/// the probe paper's video (its Figs. 5, 7, 8): one frame per checkpoint in training order, the metric vs layer on axes
/// fixed over the whole video, earlier checkpoints as a faint trace. GIF needs nothing outside .NET; MP4 pipes the
/// frames to ffmpeg.
/// </summary>
public static class AnimateCommand
{
    public const int DefaultFps = 4;
    public const string DefaultSize = "800x500";

    private static readonly Argument<string> Sweep = new("sweep") { Description = "sweep id" };
    private static readonly Option<string?> Metric = new("--metric") { Description = "metric name, e.g. probe.test_error (default: the headline metric of --analysis)" };
    private static readonly Option<string?> Analysis = new("--analysis") { Description = "an analysis kind of the sweep (probe, wasserstein, ...): without --metric, animate its headline metric" };
    private static readonly Option<string> Out = new("--out") { Description = "file to write: .gif (animated GIF) or .mp4 (H.264, needs ffmpeg)", Required = true };
    private static readonly Option<string> Along = new("--along") { Description = "layer (a frame per checkpoint: the metric vs layer) or checkpoint (a frame per layer: the metric vs training step)", DefaultValueFactory = _ => "layer" };
    private static readonly Option<int> Fps = new("--fps") { Description = $"frames per second (1 to {AnimatedGif.MaxFps})", DefaultValueFactory = _ => DefaultFps };
    private static readonly Option<string> Size = new("--size") { Description = "frame size in pixels, WIDTHxHEIGHT (even numbers for .mp4)", DefaultValueFactory = _ => DefaultSize };
    private static readonly Option<string[]> Layers = new("--layer") { Description = "only these layers (repeatable)" };
    private static readonly Option<string[]> Checkpoints = new("--checkpoint") { Description = "only these checkpoints (repeatable)" };

    public static Command Build()
    {
        var command = new Command("animate", "Write a sweep's metric vs layer over training as a video (animated GIF or MP4): one frame per checkpoint");
        command.Arguments.Add(Sweep);
        foreach (var option in new Option[] { Metric, Analysis, Out, Along, Fps, Size, Layers, Checkpoints }) command.Options.Add(option);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "animate", ct, async (session, logger) =>
        {
            var client = session.Client;
            var id = result.GetValue(Sweep)!;
            var outPath = Path.GetFullPath(result.GetValue(Out)!);
            var extension = Path.GetExtension(outPath).ToLowerInvariant();
            var fps = result.GetValue(Fps);
            CurveAxis? along = result.GetValue(Along) switch { "layer" => CurveAxis.Layer, "checkpoint" => CurveAxis.Checkpoint, _ => null };

            var problems = new List<string>();
            if (extension is not (".gif" or ".mp4")) problems.Add($"--out '{result.GetValue(Out)}' must end in .gif (animated GIF) or .mp4 (H.264 video)");
            if (along is null) problems.Add($"--along '{result.GetValue(Along)}' must be layer or checkpoint");
            if (fps is < 1 or > AnimatedGif.MaxFps) problems.Add($"--fps {fps.ToString(CultureInfo.InvariantCulture)} must be 1 to {AnimatedGif.MaxFps}");
            var size = ParseSize(result.GetValue(Size)!, extension == ".mp4", problems);
            var spec = await client.GetSpecAsync(id);
            if (spec is null) problems.Add($"no sweep '{id}' in this state folder; `probegrid status` lists the sweeps there");
            var metric = result.GetValue(Metric);
            if (result.GetValue(Analysis) is { } kind && spec is not null)
            {
                var kinds = spec.Analyses.Select(a => a.Kind).Distinct().ToList();
                if (!kinds.Contains(kind)) problems.Add($"--analysis '{kind}' is not one of sweep {id}'s analyses ({string.Join(", ", kinds)})");
                else if (metric is null && AnalysisRegistry.BuiltIn.TryGet(kind, out var analysis) && analysis.Plots.Curves.Count > 0) metric = analysis.Plots.Curves[0];
                else if (metric is null) problems.Add($"analysis '{kind}' declares no headline metric: name one with --metric");
            }
            else if (metric is null && result.GetValue(Analysis) is null)
                problems.Add("--metric is required (e.g. --metric probe.test_error), or --analysis KIND for that analysis's headline metric");
            if (problems.Count > 0)
            {
                foreach (var p in problems) logger.LogError("{Problem}", p);
                return ExitCodes.BadInput;
            }

            var query = new CurveQuery(metric!, along!.Value, [.. result.GetValue(Layers) ?? []], [.. result.GetValue(Checkpoints) ?? []]);
            var values = (await client.GetResultsAsync(id, metric)).Where(query.Includes).ToList();
            if (values.Count == 0)
            {
                var known = (await client.GetResultsAsync(id)).Select(v => v.Metric).Distinct().Order(StringComparer.Ordinal).ToList();
                if (known.Count == 0)
                    logger.LogError("Sweep {SweepId} has no analysed checkpoints yet: wait until `probegrid status {SweepId}` counts units done " +
                                    "(`probegrid failures {SweepId}` says why units failed), then run this again", id, id, id);
                else
                    logger.LogError("Sweep {SweepId} has no values of '{Metric}'{Filter}: name one of its metrics with --metric: {Known}", id, metric,
                        query.Layers.IsDefaultOrEmpty && query.Checkpoints.IsDefaultOrEmpty ? "" : " for those --layer/--checkpoint filters", string.Join(", ", known));
                return ExitCodes.BadInput;
            }

            var curve = CurveBuilder.Build(values, metric!, query.Along);
            var chance = metric!.EndsWith("_error", StringComparison.Ordinal) ? SweepOutputs.ChanceError(spec!.Dataset.Name, spec.Dataset.Parameters) : null;
            var renderer = new CurveFrameRenderer(curve, size.Width, size.Height, chance);
            var frames = renderer.RenderAll().Select(f => f.Png);
            try
            {
                if (extension == ".gif") AnimatedGif.Write(outPath, frames, fps);
                else Mp4Video.Write(outPath, frames, fps);
            }
            catch (InvalidOperationException e)
            {
                logger.LogError("{Message}", e.Message);
                return ExitCodes.Failed;
            }
            logger.LogInformation("Wrote {Video}: {Frames} frames ({Per}) at {Fps} fps, {Width}x{Height}", outPath, renderer.Count,
                along == CurveAxis.Layer ? "one per checkpoint" : "one per layer", fps, size.Width, size.Height);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>WIDTHxHEIGHT, each 100 to 4000 pixels (and even, for H.264's yuv420p); a problem naming the fix otherwise.</summary>
    public static (int Width, int Height) ParseSize(string text, bool even, List<string> problems)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height))
        {
            problems.Add($"--size '{text}' is not WIDTHxHEIGHT in pixels, e.g. --size {DefaultSize}");
            return (0, 0);
        }
        if (width is < 100 or > 4000 || height is < 100 or > 4000)
            problems.Add($"--size {text}: width and height must each be 100 to 4000 pixels");
        else if (even && (width % 2 != 0 || height % 2 != 0))
            problems.Add($"--size {text}: an .mp4 (H.264, yuv420p) needs an even width and height, e.g. --size {width + width % 2}x{height + height % 2}");
        return (width, height);
    }
}
