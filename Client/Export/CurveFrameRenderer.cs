using System.Globalization;
using ProbeGrid.GrainsInterfaces.Results;
using ScottPlot;

namespace ProbeGrid.Client.Export;

/// <summary>
/// The probe paper's video, frame by frame: frame i draws series i of a curve (along layers: checkpoint i's metric vs
/// layer, in training order) on axes fixed over every frame, so frames compare, with the series before it as a faint
/// trace. The lines' colours are those of <see cref="CurvePlotter.SaveLines"/>'s static figure.
/// </summary>
public sealed class CurveFrameRenderer
{
    private readonly Curve curve;
    private readonly int width;
    private readonly int height;
    private readonly double? chanceLevel;
    private readonly Func<double, double> position;

    public CurveFrameRenderer(Curve curve, int width, int height, double? chanceLevel = null)
    {
        if (curve.Series.IsDefaultOrEmpty || curve.Series.All(s => s.Points.IsDefaultOrEmpty))
            throw new ArgumentException($"the curve of '{curve.Metric}' has no points to animate", nameof(curve));
        (this.curve, this.width, this.height, this.chanceLevel) = (curve, width, height, chanceLevel);
        position = CurvePlotter.XPositions(curve);
        Limits = FixedLimits(curve, position);
    }

    /// <summary>The number of frames: one per series.</summary>
    public int Count => curve.Series.Length;

    /// <summary>
    /// The axes every frame shares: all x values, and every mean ± spread, with a margin. Not the chance level: on ten
    /// classes (0.9) it would flatten the curves; it is drawn where it falls inside.
    /// </summary>
    public AxisLimits Limits { get; }

    public string Title(int index)
    {
        var series = curve.Series[index];
        var (along, _) = CurvePlotter.AxisNames(curve.Along);
        var what = curve.Along == CurveAxis.Layer
            ? $"{series.Name} (step {series.Order.ToString(CultureInfo.InvariantCulture)})"
            : $"layer {series.Name}";
        return $"{curve.Metric} vs {along}: {what}, {index + 1}/{Count}";
    }

    public CurveFrame Render(int index)
    {
        if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"frames are 0..{Count - 1}");
        var plot = new Plot();
        if (chanceLevel is { } chance)
        {
            var h = plot.Add.HorizontalLine(chance);
            h.LinePattern = LinePattern.Dotted;
            h.Color = Colors.Gray;
        }
        // Earlier series first, faint and thin, so the current one is drawn over them.
        for (var s = 0; s < index; s++)
        {
            var (xs, ys) = Coordinates(curve.Series[s]);
            var trace = plot.Add.Scatter(xs, ys);
            trace.Color = CurvePlotter.SeriesColor(s, Count).WithAlpha(0.4);
            trace.LineWidth = 1;
            trace.MarkerSize = 0;
        }
        var current = curve.Series[index];
        var (currentXs, currentYs) = Coordinates(current);
        if (current.Points.Any(p => p.Count > 1))
        {
            var bars = plot.Add.ErrorBar(currentXs, currentYs, current.Points.Select(p => p.StdDev).ToArray());
            bars.Color = CurvePlotter.SeriesColor(index, Count);
        }
        var line = plot.Add.Scatter(currentXs, currentYs);
        line.Color = CurvePlotter.SeriesColor(index, Count);
        line.LineWidth = 2.5f;
        line.MarkerSize = 7;

        CurvePlotter.SetBottomTicks(plot, curve, position);
        var (_, xLabel) = CurvePlotter.AxisNames(curve.Along);
        plot.Title(Title(index));
        plot.XLabel(xLabel);
        plot.YLabel(curve.Metric);
        plot.Axes.SetLimits(Limits);

        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        var dataArea = plot.RenderManager.LastRender.DataRect;
        var points = currentXs.Zip(currentYs, (x, y) => plot.GetPixel(new Coordinates(x, y))).ToArray();
        return new CurveFrame(index, Title(index), png, dataArea, points, line.Color);
    }

    /// <summary>Every frame, in order.</summary>
    public IEnumerable<CurveFrame> RenderAll()
    {
        for (var i = 0; i < Count; i++) yield return Render(i);
    }

    /// <summary>Where a series' points are drawn: layers evenly spaced in network order (as <see cref="CurvePlotter.XPositions"/> puts them), steps at their own scale.</summary>
    private (double[] Xs, double[] Ys) Coordinates(CurveSeries series) =>
        (series.Points.Select(p => position(p.X)).ToArray(), series.Points.Select(p => p.Mean).ToArray());

    private static AxisLimits FixedLimits(Curve curve, Func<double, double> position)
    {
        var points = curve.Series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Mean)).ToList();
        if (points.Count == 0) throw new ArgumentException($"the curve of '{curve.Metric}' has no finite values to animate", nameof(curve));
        var (left, right) = (points.Min(p => position(p.X)), points.Max(p => position(p.X)));
        var spread = points.Select(p => double.IsFinite(p.StdDev) ? p.StdDev : 0).ToList();
        var bottom = points.Select((p, i) => p.Mean - spread[i]).Min();
        var top = points.Select((p, i) => p.Mean + spread[i]).Max();
        // Layers sit half a step in from the edges; steps and values get a 5% margin (a flat curve, a unit-wide band).
        var xMargin = curve.Along == CurveAxis.Layer ? 0.5 : Margin(left, right);
        var yMargin = Margin(bottom, top);
        return new AxisLimits(left - xMargin, right + xMargin, bottom - yMargin, top + yMargin);
    }

    private static double Margin(double low, double high) =>
        high > low ? 0.05 * (high - low) : Math.Max(0.5, 0.05 * Math.Abs(high));
}
