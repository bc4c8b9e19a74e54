using ProbeGrid.Cli.Output;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Tests.Data;

namespace ProbeGrid.Tests.Results;

/// <summary><c>probegrid run</c>'s plots folder: the figures each analysis declares.</summary>
public sealed class SweepOutputsTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static IEnumerable<MetricValue> Discarding(string checkpoint, long step) =>
        from layer in new[] { ("conv1", 3), ("fc1", 8) }
        from metric in new[] { MetricNames.SidTotal, MetricNames.RuTotal, MetricNames.SidConcentration, MetricNames.SaliencyMean }
        select new MetricValue(checkpoint, step, layer.Item1, layer.Item2, 0, metric, step + layer.Item2);

    [Fact]
    public void Discarding_totals_and_concentrations_are_plotted_vs_layer_and_with_several_checkpoints_vs_checkpoint()
    {
        var written = SweepOutputs.WritePlots([.. Discarding("step-2", 2), .. Discarding("step-10", 10)], _folder.Path, chanceError: null);

        // No ru.concentration values here, and saliency.mean is not plotted.
        string[] expected = [.. from metric in new[] { "sid.total", "ru.total", "sid.concentration" }
                                from plot in new[] { "vs-layer", "heatmap", "vs-checkpoint" }
                                select Path.Combine(_folder.Path, "plots", $"{metric}-{plot}.png")];
        Assert.Equal(expected, written);
        Assert.All(written, p => Assert.True(new FileInfo(p).Length > 1000, $"{p} is missing or empty"));

        var one = SweepOutputs.WritePlots([.. Discarding("step-2", 2)], Path.Combine(_folder.Path, "one"), chanceError: null);
        Assert.Equal(["sid.total-vs-layer.png", "ru.total-vs-layer.png", "sid.concentration-vs-layer.png"], one.Select(Path.GetFileName));
    }

    [Fact]
    public void The_cka_analysis_declares_its_curves_and_they_are_drawn_without_the_output_code_knowing_it()
    {
        MetricValue Final(string checkpoint, long step, string layer, int index) => new(checkpoint, step, layer, index, 0, Grains.Analyses.CkaAnalysis.Final, 0.5 + step / 20.0);
        var written = SweepOutputs.WritePlots([Final("step-0", 0, "conv1", 1), Final("step-10", 10, "conv1", 1), Final("step-0", 0, "fc1", 2), Final("step-10", 10, "fc1", 2)],
            _folder.Path, chanceError: null);
        Assert.Equal(["cka.final-vs-layer.png", "cka.final-heatmap.png", "cka.final-vs-checkpoint.png"], written.Select(Path.GetFileName));
    }
}
