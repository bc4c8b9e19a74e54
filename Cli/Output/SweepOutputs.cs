using ProbeGrid.Analysis.Data;
using ProbeGrid.Client;
using ProbeGrid.Client.Export;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Cli.Output;

/// <summary>
/// Writes a finished sweep's figures, as each analysis declares them (<see cref="AnalysisPlots"/>): for each
/// curve metric present, vs layer, vs checkpoint, and the heatmap; for per-order metrics, the spectrum (vs the
/// order); for an analysis with maps, the per-pixel maps of the last checkpoint.
/// </summary>
public static class SweepOutputs
{
    /// <summary>The metrics the analyses declare as curves, in registration order.</summary>
    private static IEnumerable<string> PlottedMetrics => AnalysisRegistry.BuiltIn.All.SelectMany(a => a.Plots.Curves);

    private static IEnumerable<string> SpectrumMetrics => AnalysisRegistry.BuiltIn.All.SelectMany(a => a.Plots.Spectra);

    /// <param name="chanceError">The error of guessing on single-label data (1 − 1/C), drawn on probe error plots; null for none.</param>
    public static IReadOnlyList<string> WritePlots(IReadOnlyList<MetricValue> results, string outputFolder, double? chanceError)
    {
        var written = new List<string>();
        var plots = Path.Combine(outputFolder, "plots");
        foreach (var metric in PlottedMetrics.Where(m => results.Any(v => v.Metric == m)))
        {
            var chance = metric.EndsWith("_error", StringComparison.Ordinal) ? chanceError : null;
            var alongLayers = CurveBuilder.Build(results, metric, CurveAxis.Layer);
            var path = Path.Combine(plots, $"{metric}-vs-layer.png");
            CurvePlotter.SaveLines(alongLayers, path, chanceLevel: chance);
            written.Add(path);
            if (alongLayers.Series.Length > 1)
            {
                path = Path.Combine(plots, $"{metric}-heatmap.png");
                CurvePlotter.SaveHeatmap(alongLayers, path);
                written.Add(path);
                path = Path.Combine(plots, $"{metric}-vs-checkpoint.png");
                CurvePlotter.SaveLines(CurveBuilder.Build(results, metric, CurveAxis.Checkpoint), path, chanceLevel: chance);
                written.Add(path);
            }
        }
        foreach (var metric in SpectrumMetrics)
        {
            var spectrum = SpectrumBuilder.Build(results, metric);
            if (spectrum.Series.IsEmpty) continue;
            var path = Path.Combine(plots, $"{metric}-spectrum.png");
            CurvePlotter.SaveLines(spectrum, path);
            written.Add(path);
        }
        foreach (var prefix in AnalysisRegistry.BuiltIn.All.SelectMany(a => a.Plots.LayerMatrices))
            foreach (var checkpoint in Spread(results.Where(v => v.Metric.StartsWith(prefix, StringComparison.Ordinal))))
            {
                var path = Path.Combine(plots, $"{prefix.TrimEnd('.')}-{FileSafe(checkpoint.Name)}.png");
                CurvePlotter.SaveHeatmap(LayerMatrixBuilder.Build(results, prefix, checkpoint.Name), path,
                    $"{prefix.TrimEnd('.')}: layer x layer at {checkpoint.Name} (step {checkpoint.Step})", rowsAreLayers: true);
                written.Add(path);
            }
        return written;
    }

    /// <summary>The checkpoints of these values in training order; past <see cref="MaxMatrices"/>, that many spread evenly from the first to the last.</summary>
    private static IEnumerable<(string Name, long Step)> Spread(IEnumerable<MetricValue> values)
    {
        var checkpoints = values.Select(v => (Name: v.Checkpoint, v.Step)).Distinct().OrderBy(c => c.Step).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        if (checkpoints.Count <= MaxMatrices) return checkpoints;
        return Enumerable.Range(0, MaxMatrices).Select(i => checkpoints[(int)Math.Round(i * (checkpoints.Count - 1) / (double)(MaxMatrices - 1))]);
    }

    private const int MaxMatrices = 25;

    private static string FileSafe(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());

    /// <summary>
    /// The per-pixel maps at the sweep's last checkpoint (by step) as <c>maps/</c> PNGs, the same figures
    /// <c>probegrid maps</c> draws; none for a sweep whose analyses keep no maps.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WriteMapsAsync(ProbeGridClient client, string sweepId, IReadOnlyList<MetricValue> results, string outputFolder)
    {
        var last = results.MaxBy(v => v.Step);
        if (last is null) return [];
        var maps = await client.GetMapsAsync(sweepId, new MapQuery(Checkpoints: [last.Checkpoint]));
        return maps.IsEmpty ? [] : MapOutputs.WritePngs(maps, Path.Combine(outputFolder, "maps"), sharedScale: false);
    }

    /// <summary>
    /// 1 − 1/C for single-label data; null for multi-label and regression data, where guessing has no single error rate,
    /// and where the classes cannot be counted here (an image folder on the silos' volume, not this machine's).
    /// </summary>
    public static double? ChanceError(string dataset, IReadOnlyDictionary<string, string>? parameters = null)
    {
        if (DatasetCatalog.TargetKindOf(dataset) != TargetKind.ClassIndex) return null;
        try { return 1.0 - 1.0 / DatasetCatalog.ClassCount(dataset, parameters); }
        catch (Exception e) when (e is IOException or ArgumentException) { return null; }
    }
}
