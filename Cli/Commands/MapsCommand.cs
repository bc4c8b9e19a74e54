using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid maps --sweep ID [--checkpoint C] [--layer L] [--sample N] [--kind sid|ru] [--shared-scale] [--out FOLDER] [--format png|csv]</c>:
/// the per-pixel SID and RU maps of a discarding sweep, one PNG per checkpoint, sample and kind (the input
/// beside the map at every layer), or every pixel in one CSV.
/// </summary>
public static class MapsCommand
{
    private static readonly Option<string> Sweep = new("--sweep") { Description = "sweep id (a sweep with the discarding analysis)", Required = true };
    private static readonly Option<string[]> Checkpoints = new("--checkpoint") { Description = "only these checkpoints (repeatable; default: all)" };
    private static readonly Option<string[]> Layers = new("--layer") { Description = "only these layers (repeatable; default: all)" };
    private static readonly Option<int[]> Samples = new("--sample") { Description = "only these test samples (repeatable; default: all kept)" };
    private static readonly Option<string[]> Kinds = new("--kind") { Description = "sid or ru (repeatable; default: both)" };
    private static readonly Option<bool> SharedScale = new("--shared-scale") { Description = "one colour range for all layers of a figure, so layers compare by colour" };
    private static readonly Option<string> Out = new("--out") { Description = "folder to write into", DefaultValueFactory = _ => "maps" };
    private static readonly Option<string> Format = new("--format") { Description = $"png (one figure per checkpoint, sample and kind) or csv ({MapOutputs.CsvFile}, one row per pixel)", DefaultValueFactory = _ => "png" };

    private static readonly string[] MapKinds = [PixelMap.SidKind, PixelMap.RuKind];

    public static Command Build()
    {
        var command = new Command("maps", "Per-pixel SID and RU maps of a discarding sweep: the input beside each layer's map, as PNGs or CSV");
        foreach (var option in new Option[] { Sweep, Checkpoints, Layers, Samples, Kinds, SharedScale, Out, Format }) command.Options.Add(option);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "maps", ct, async (session, logger) =>
        {
            var id = result.GetValue(Sweep)!;
            var format = result.GetValue(Format)!;
            var kinds = result.GetValue(Kinds) ?? [];
            var problems = new List<string>();
            if (format is not ("png" or "csv")) problems.Add($"--format '{format}' must be png or csv");
            foreach (var kind in kinds.Where(k => !MapKinds.Contains(k))) problems.Add($"--kind '{kind}' must be sid or ru");
            if (problems.Count == 0 && await session.Client.GetSpecAsync(id) is null)
                problems.Add($"no sweep '{id}' in this state folder; `probegrid status` lists the sweeps there");

            IReadOnlyList<PixelMap> maps = [];
            if (problems.Count == 0)
                maps = Select(id, await session.Client.GetMapsAsync(id), result.GetValue(Checkpoints) ?? [], result.GetValue(Layers) ?? [],
                    result.GetValue(Samples) ?? [], kinds, problems);
            if (problems.Count > 0)
            {
                foreach (var p in problems) logger.LogError("{Problem}", p);
                return ExitCodes.BadInput;
            }

            var folder = Path.GetFullPath(result.GetValue(Out)!);
            IReadOnlyList<string> written = format == "csv" ? [MapOutputs.WriteCsv(maps, folder)] : MapOutputs.WritePngs(maps, folder, result.GetValue(SharedScale));
            foreach (var path in written) logger.LogInformation("Wrote {Path}", path);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>
    /// The maps asked for, with the inputs drawn beside them: <paramref name="maps"/> (all of a sweep's) filtered by
    /// checkpoint, layer, sample and kind (none given: all; kinds none given: sid and ru). A filter value the sweep
    /// has no maps for is a problem naming the values it has; a sweep without maps is one naming the analysis that makes them.
    /// </summary>
    public static IReadOnlyList<PixelMap> Select(string sweepId, IReadOnlyList<PixelMap> maps,
        IReadOnlyCollection<string> checkpoints, IReadOnlyCollection<string> layers, IReadOnlyCollection<int> samples,
        IReadOnlyCollection<string> kinds, List<string> problems)
    {
        if (maps.Count == 0)
        {
            problems.Add($"sweep '{sweepId}' has no per-pixel maps (yet): only the `discarding` analysis keeps them, for its first `maps` samples (default 4); "
                         + "add one to the spec, or wait until its units finish (`probegrid status`)");
            return [];
        }
        void Unknown<T>(string option, IEnumerable<T> asked, IEnumerable<T> known, string hint = "")
        {
            var have = known.Distinct().Order().ToList();
            foreach (var value in asked.Where(a => !have.Contains(a)))
                problems.Add($"{option} '{value}': sweep '{sweepId}' has no maps there; it has maps for {string.Join(", ", have)}{hint}");
        }
        Unknown("--checkpoint", checkpoints, maps.Select(m => m.Checkpoint));
        Unknown("--layer", layers, maps.Select(m => m.Layer));
        Unknown("--sample", samples, maps.Select(m => m.Sample), " (the discarding parameter `maps` sets how many samples keep maps)");
        Unknown("--kind", kinds, maps.Select(m => m.Kind).Where(k => k != PixelMap.InputKind), " (RU maps need the discarding parameter `ru` other than 'off')");
        if (problems.Count > 0) return [];

        var wanted = kinds.Count > 0 ? kinds : MapKinds;
        return maps.Where(m => (checkpoints.Count == 0 || checkpoints.Contains(m.Checkpoint))
                               && (layers.Count == 0 || layers.Contains(m.Layer))
                               && (samples.Count == 0 || samples.Contains(m.Sample))
                               && (m.Kind == PixelMap.InputKind || wanted.Contains(m.Kind)))
            .ToList();
    }
}
