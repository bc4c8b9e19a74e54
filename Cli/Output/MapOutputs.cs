using System.Globalization;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Cli.Output;

/// <summary>
/// The per-pixel maps of the discarding analysis as files, for <c>probegrid maps</c> and for the
/// <c>maps/</c> folder of <c>probegrid run</c>: one PNG per (checkpoint, repeat, sample, kind) with the
/// input beside that kind's map at every layer in depth order (the paper's Fig. 1), or one long CSV.
/// </summary>
public static class MapOutputs
{
    public const string CsvFile = "maps.csv";
    public const string CsvHeader = "checkpoint,step,layer,layer_index,repeat,sample,kind,row,col,value";

    /// <summary>
    /// Writes <c>&lt;kind&gt;-&lt;checkpoint&gt;[-repeat&lt;R&gt;]-sample&lt;N&gt;.png</c> into <paramref name="folder"/> for
    /// every SID or RU map group in <paramref name="maps"/>, drawn beside its sample's input map. The
    /// repeat is named only when the maps hold more than one repeat. Returns the paths, checkpoints by step.
    /// </summary>
    public static IReadOnlyList<string> WritePngs(IReadOnlyList<PixelMap> maps, string folder, bool sharedScale)
    {
        var names = FileNames(maps);
        var severalRepeats = maps.Select(m => m.Repeat).Distinct().Count() > 1;
        var inputs = maps.Where(m => m.Kind == PixelMap.InputKind)
            .GroupBy(m => (m.Checkpoint, m.Repeat, m.Sample))
            .ToDictionary(g => g.Key, g => g.MinBy(m => m.LayerIndex)!);
        var written = new List<string>();
        foreach (var figure in Figures(maps))
        {
            var first = figure.First();
            var path = Path.Combine(folder,
                $"{first.Kind}-{names[first.Checkpoint]}{(severalRepeats ? $"-repeat{first.Repeat}" : "")}-sample{first.Sample}.png");
            // Every unit keeps its sample's input beside its maps; were it missing, the input panel says "no finite values".
            var image = inputs.TryGetValue((first.Checkpoint, first.Repeat, first.Sample), out var input)
                ? (IReadOnlyList<float>)input.Values
                : Enumerable.Repeat(float.NaN, first.Height * first.Width).ToArray();
            PixelMapPlotter.Save(path, image, first.Height, first.Width,
                figure.Select(m => (m.Layer, m.Values.ToArray())).ToArray(), Title(first, severalRepeats), sharedScale);
            written.Add(path);
        }
        return written;
    }

    /// <summary>
    /// Writes <see cref="CsvFile"/> into <paramref name="folder"/>: one row per pixel of every SID or RU map
    /// (row-major, row 0 at the top), checkpoints by step, then repeat, sample, kind and layer depth. Inputs
    /// are left out: they are the test split's samples, and may have several channels.
    /// </summary>
    public static string WriteCsv(IReadOnlyList<PixelMap> maps, string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, CsvFile);
        using var writer = new StreamWriter(path);
        writer.WriteLine(CsvHeader);
        foreach (var map in Figures(maps).SelectMany(f => f))
        {
            var prefix = string.Join(',', MetricCsv.Quote(map.Checkpoint), I(map.Step), MetricCsv.Quote(map.Layer), I(map.LayerIndex),
                I(map.Repeat), I(map.Sample), map.Kind);
            for (var i = 0; i < map.Values.Length; i++)
                writer.WriteLine($"{prefix},{I(i / map.Width)},{I(i % map.Width)},{map.Values[i].ToString("R", CultureInfo.InvariantCulture)}");
        }
        return path;
    }

    /// <summary>"SID, checkpoint step-10, sample 3 (class 7)"; the repeat after the checkpoint when there are several.</summary>
    public static string Title(PixelMap map, bool severalRepeats) =>
        $"{map.Kind.ToUpperInvariant()}, checkpoint {map.Checkpoint}{(severalRepeats ? $", repeat {map.Repeat}" : "")}, sample {map.Sample}"
        + (map.Label >= 0 ? $" (class {map.Label})" : "");

    /// <summary>
    /// A checkpoint name fit for a file name on any system: characters other than letters, digits, '.', '-'
    /// and '_' become '_'. Names that would then collide get their step appended, so no figure overwrites another.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FileNames(IEnumerable<PixelMap> maps)
    {
        var checkpoints = maps.Select(m => (m.Checkpoint, m.Step)).Distinct().ToList();
        var names = new Dictionary<string, string>();
        foreach (var clash in checkpoints.GroupBy(c => Safe(c.Checkpoint)))
            foreach (var (checkpoint, step) in clash)
                names[checkpoint] = clash.Count() == 1 ? clash.Key : $"{clash.Key}-step{I(step)}";
        return names;
    }

    private static string Safe(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());

    /// <summary>The SID and RU maps grouped by figure, checkpoints by step, each figure's layers in depth order.</summary>
    private static IEnumerable<IReadOnlyList<PixelMap>> Figures(IEnumerable<PixelMap> maps) =>
        maps.Where(m => m.Kind != PixelMap.InputKind)
            .GroupBy(m => (m.Step, m.Checkpoint, m.Repeat, m.Sample, m.Kind))
            .OrderBy(g => g.Key.Step).ThenBy(g => g.Key.Checkpoint, StringComparer.Ordinal).ThenBy(g => g.Key.Repeat)
            .ThenBy(g => g.Key.Sample).ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<PixelMap>)g.OrderBy(m => m.LayerIndex).ToList());

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}
