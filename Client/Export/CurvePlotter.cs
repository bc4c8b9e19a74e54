using ProbeGrid.GrainsInterfaces.Results;
using ScottPlot;

namespace ProbeGrid.Client.Export;

/// <summary>
/// The figures a researcher wants first: a metric vs layer with one line per checkpoint (early
/// checkpoints light, late ones dark), a metric vs checkpoint with one line per layer, and a
/// checkpoint x layer heatmap: the probe paper's "videos" as one picture; and complexity spectra
/// (a per-order metric vs the order, one line per checkpoint and layer).
/// </summary>
public static class CurvePlotter
{
    public static void SaveLines(Curve curve, string path, string? title = null, double? chanceLevel = null)
    {
        var plot = new Plot();
        var count = curve.Series.Length;
        var position = XPositions(curve);
        for (var s = 0; s < count; s++)
        {
            var series = curve.Series[s];
            var xs = series.Points.Select(p => position(p.X)).ToArray();
            var ys = series.Points.Select(p => p.Mean).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.Color = SeriesColor(s, count);
            line.MarkerSize = count > 20 ? 0 : 4;
            if (count <= 12) line.LegendText = series.Name;
            if (series.Points.Any(p => p.Count > 1))
            {
                var bars = plot.Add.ErrorBar(xs, ys, series.Points.Select(p => p.StdDev).ToArray());
                bars.Color = line.Color;
            }
        }
        if (chanceLevel is { } chance)
        {
            var h = plot.Add.HorizontalLine(chance);
            h.LinePattern = LinePattern.Dotted;
            h.Color = Colors.Gray;
        }
        SetBottomTicks(plot, curve, position);
        var (along, xLabel) = AxisNames(curve.Along);
        plot.Title(title ?? $"{curve.Metric} vs {along}");
        plot.XLabel(xLabel);
        plot.YLabel(curve.Metric);
        if (count is > 1 and <= 12) plot.ShowLegend(Edge.Right);
        Save(plot, path, 1000, 600);
    }

    /// <summary>Rows are checkpoints in training order (or, with <paramref name="rowsAreLayers"/>, layers in depth order), columns layers in depth order.</summary>
    public static void SaveHeatmap(Curve alongLayers, string path, string? title = null, bool rowsAreLayers = false)
    {
        var series = alongLayers.Series;
        var layers = series.SelectMany(s => s.Points).GroupBy(p => p.X).OrderBy(g => g.Key)
            .Select(g => (X: g.Key, Label: g.First().Label)).ToArray();
        var column = layers.Select((l, i) => (l.X, i)).ToDictionary(t => t.X, t => t.i);
        var values = new double[series.Length, layers.Length];
        for (var r = 0; r < series.Length; r++)
        {
            for (var c = 0; c < layers.Length; c++) values[r, c] = double.NaN;
            // Heatmap rows are drawn top-down; put the first checkpoint at the top.
            foreach (var p in series[r].Points) values[r, column[p.X]] = p.Mean;
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap).Label = alongLayers.Metric;
        var layerTicks = layers.Select((l, i) => new Tick(i, l.Label)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Thin(layerTicks, 40));
        RotateBottomLabels(plot, layers.Select(l => l.Label));
        var rowTicks = series.Select((s, i) => new Tick(series.Length - 1 - i, rowsAreLayers ? s.Name : "step " + s.Order)).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Thin(rowTicks, 25));
        plot.Title(title ?? $"{alongLayers.Metric}: checkpoint x layer");
        plot.XLabel("layer");
        plot.YLabel(rowsAreLayers ? "layer" : "checkpoint");
        Save(plot, path, 1100, Math.Clamp(200 + 18 * series.Length, 450, 1400));
    }

    /// <summary>
    /// Layers are drawn evenly spaced in network order: their module indices are far apart in deep networks (inception_v3's
    /// stem taps would bunch at the left); checkpoints and orders keep their own scale.
    /// </summary>
    public static Func<double, double> XPositions(Curve curve)
    {
        if (curve.Along != CurveAxis.Layer) return x => x;
        var rank = curve.Series.SelectMany(s => s.Points).Select(p => p.X).Distinct().Order()
            .Select((x, i) => (x, i)).ToDictionary(p => p.x, p => (double)p.i);
        return x => rank[x];
    }

    /// <summary>Line <paramref name="s"/> of <paramref name="count"/> in training (or depth) order: early ones light, late ones dark.</summary>
    internal static Color SeriesColor(int s, int count) =>
        count == 1 ? Colors.Blue : new ScottPlot.Colormaps.Viridis().GetColor(0.9 * (1 - (double)s / (count - 1)));

    /// <summary>What the x axis is called in a title ("vs layer") and under the axis.</summary>
    internal static (string Along, string XLabel) AxisNames(CurveAxis along) => along switch
    {
        CurveAxis.Layer => ("layer", "layer"),
        CurveAxis.Checkpoint => ("checkpoint", "training step"),
        _ => ("order", "complexity order l (ReLU layers of the disentangler)"),
    };

    /// <summary>Ticks at the curve's x values (drawn at <paramref name="position"/>), labelled by layer (or checkpoint) name where they fit.</summary>
    internal static void SetBottomTicks(Plot plot, Curve curve, Func<double, double> position)
    {
        var ticks = curve.Series.SelectMany(s => s.Points).GroupBy(p => p.X).OrderBy(g => g.Key)
            .Select(g => new Tick(position(g.Key), g.First().Label)).ToArray();
        if (curve.Along == CurveAxis.Order) plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        else if (curve.Along == CurveAxis.Layer || ticks.Length <= 30)
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Thin(ticks, 40));
            RotateBottomLabels(plot, ticks.Select(t => t.Label));
        }
    }

    private static Tick[] Thin(Tick[] ticks, int max)
    {
        if (ticks.Length <= max) return ticks;
        var every = (int)Math.Ceiling(ticks.Length / (double)max);
        return ticks.Where((_, i) => i % every == 0).ToArray();
    }

    /// <summary>Slanted layer names, with the axis made tall enough that the longest fits above the axis title.</summary>
    private static void RotateBottomLabels(Plot plot, IEnumerable<string> labels)
    {
        plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        var longest = labels.Select(l => l.Length).DefaultIfEmpty(0).Max();
        plot.Axes.Bottom.MinimumSize = 40 + 6 * longest;
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, width, height);
    }
}
