using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Cli.Output;

/// <summary>Writes a finished sweep's figures: for each error metric, vs layer, vs checkpoint, and the heatmap.</summary>
public static class SweepOutputs
{
    public static readonly string[] PlottedMetrics = [MetricNames.ProbeTestError, MetricNames.ProbeTrainError];

    public static IReadOnlyList<string> WritePlots(IReadOnlyList<MetricValue> results, string outputFolder, int classCount)
    {
        var written = new List<string>();
        var plots = Path.Combine(outputFolder, "plots");
        var chance = 1.0 - 1.0 / classCount;
        foreach (var metric in PlottedMetrics.Where(m => results.Any(v => v.Metric == m)))
        {
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
        return written;
    }
}
