using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client.Queries;
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
            foreach (var kind in kinds.Where(k => !MapSelection.MapKinds.Contains(k))) problems.Add($"--kind '{kind}' must be sid or ru");
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

    /// <summary>The maps asked for (<see cref="MapSelection.Select"/>), with problems naming the command's options.</summary>
    public static IReadOnlyList<PixelMap> Select(string sweepId, IReadOnlyList<PixelMap> maps,
        IReadOnlyCollection<string> checkpoints, IReadOnlyCollection<string> layers, IReadOnlyCollection<int> samples,
        IReadOnlyCollection<string> kinds, List<string> problems) =>
        MapSelection.Select(sweepId, maps, checkpoints, layers, samples, kinds, problems, name => "--" + name);
}
