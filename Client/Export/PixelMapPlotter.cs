using ScottPlot;
using Range = ScottPlot.Range;

namespace ProbeGrid.Client.Export;

/// <summary>
/// Per-pixel maps of one input, as in Fig. 1 of the layerwise information-discarding paper: a row
/// of panels, the input image first (grey; a multi-channel image as its channel mean), then one
/// heatmap per layer (e.g. its pixel entropies H_i or reconstruction uncertainties Ĥ_i), each
/// titled with the layer's name and with its own colour bar. Every map has the image's
/// height x width, row-major, row 0 at the top; NaN cells are left blank (a map without a finite
/// value gets a note instead of a heatmap).
/// </summary>
public static class PixelMapPlotter
{
    /// <summary>Pixels per panel, colour bar and title included.</summary>
    public const int PanelWidth = 340;
    public const int PanelHeight = 320;

    /// <summary>
    /// Writes the PNG (<see cref="PanelWidth"/> x (1 + layers) by <see cref="PanelHeight"/> pixels).
    /// With <paramref name="sharedScale"/> every layer's heatmap spans the same range (the finite
    /// values of all maps), so layers can be compared by colour; otherwise each map spans its own.
    /// </summary>
    /// <exception cref="ArgumentException">The image is not a whole number of height x width channels, or a map is not height x width.</exception>
    public static void Save(string path, IReadOnlyList<float> image, int height, int width,
        IReadOnlyList<(string Layer, double[] Map)> maps, string? title = null, bool sharedScale = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(maps);
        var problems = Problems(image.Count, height, width, maps.Select(m => (m.Layer, m.Map.Length)));
        if (problems.Count > 0)
            throw new ArgumentException("pixel maps cannot be drawn: " + string.Join("; ", problems) + ".");

        Range? range = sharedScale ? FiniteRange(maps.SelectMany(m => m.Map)) : null;
        var multiplot = new Multiplot();
        multiplot.AddPlots(1 + maps.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var input = ChannelMean(image, height, width);
        // A multiplot has no title of its own: the title goes into the input panel's, on one line so the panels stay level.
        Panel(multiplot.GetPlot(0), input, title is null ? "input" : $"{title}: input", new ScottPlot.Colormaps.Grayscale(), FiniteRange(Flatten(input)));
        for (var i = 0; i < maps.Count; i++)
            Panel(multiplot.GetPlot(1 + i), Grid(maps[i].Map, height, width), maps[i].Layer, new ScottPlot.Colormaps.Viridis(), range ?? FiniteRange(maps[i].Map));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        multiplot.SavePng(path, PanelWidth * (1 + maps.Count), PanelHeight);
    }

    /// <summary><see cref="Save(string, IReadOnlyList{float}, int, int, IReadOnlyList{ValueTuple{string, double[]}}, string?, bool)"/> for single-precision maps.</summary>
    public static void Save(string path, IReadOnlyList<float> image, int height, int width,
        IReadOnlyList<(string Layer, float[] Map)> maps, string? title = null, bool sharedScale = false)
    {
        ArgumentNullException.ThrowIfNull(maps);
        Save(path, image, height, width, maps.Select(m => (m.Layer, Array.ConvertAll(m.Map, v => (double)v))).ToArray(), title, sharedScale);
    }

    private static List<string> Problems(int imageLength, int height, int width, IEnumerable<(string Layer, int Length)> maps)
    {
        var problems = new List<string>();
        if (height < 1 || width < 1)
        {
            problems.Add($"height and width must be at least 1 (got {height} x {width})");
            return problems;
        }
        var pixels = (long)height * width;
        if (imageLength == 0 || imageLength % pixels != 0)
            problems.Add($"the image has {imageLength} values, not a whole number of {height} x {width} channels");
        foreach (var (layer, length) in maps)
            if (length != pixels)
                problems.Add($"layer '{layer}': the map has {length} values, not {height} x {width} = {pixels}");
        return problems;
    }

    private static void Panel(Plot plot, double[,] values, string name, IColormap colormap, Range range)
    {
        plot.Title(name);
        // A long title (the figure's, in the input panel) would be clipped at the panel's edges: its font shrinks to
        // fit twice the distance from the centre of the data area (left of the colour bar) to the panel's left edge.
        var label = plot.Axes.Title.Label;
        var fits = 0.75f * PanelWidth;
        using var paint = Paint.NewDisposablePaint();
        var width = label.Measure(paint).Width;
        if (width > fits) label.FontSize *= fits / width;
        if (!Flatten(values).Any(double.IsFinite))
        {
            // ScottPlot's heatmap cannot range a map without a finite value: say so instead.
            plot.Add.Annotation("no finite values", Alignment.MiddleCenter);
            plot.HideGrid();
            return;
        }
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = range;
        plot.Add.ColorBar(heatmap);
        plot.HideGrid();
        // Pixels need no coordinates: a frame without ticks, one image pixel per square cell.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        plot.Axes.Margins(0, 0);
        plot.Axes.SquareUnits();
    }

    /// <summary>The image's channel mean as rows x columns.</summary>
    private static double[,] ChannelMean(IReadOnlyList<float> image, int height, int width)
    {
        var pixels = height * width;
        var channels = image.Count / pixels;
        var grid = new double[height, width];
        for (var ch = 0; ch < channels; ch++)
            for (var i = 0; i < pixels; i++)
                grid[i / width, i % width] += image[ch * pixels + i] / (double)channels;
        return grid;
    }

    private static double[,] Grid(double[] map, int height, int width)
    {
        var grid = new double[height, width];
        for (var i = 0; i < map.Length; i++) grid[i / width, i % width] = map[i];
        return grid;
    }

    private static IEnumerable<double> Flatten(double[,] grid) => grid.Cast<double>();

    /// <summary>Min and max of the finite values; widened when they are equal (or absent), so the colour bar has a span.</summary>
    private static Range FiniteRange(IEnumerable<double> values)
    {
        var (min, max) = (double.PositiveInfinity, double.NegativeInfinity);
        foreach (var v in values)
        {
            if (!double.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (min > max) return new Range(0, 1);
        if (min == max) return new Range(min - 0.5, max + 0.5);
        return new Range(min, max);
    }
}
