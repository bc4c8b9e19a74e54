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

        // The layer x layer matrix, one figure per checkpoint, from the cka.with.<layer> family.
        MetricValue With(string checkpoint, string layer, int index, string other) => new(checkpoint, 0, layer, index, 0, Grains.Analyses.CkaAnalysis.WithPrefix + other, layer == other ? 1 : 0.5);
        var matrix = SweepOutputs.WritePlots([With("step/0", "conv1", 1, "conv1"), With("step/0", "conv1", 1, "fc1"), With("step/0", "fc1", 2, "conv1"), With("step/0", "fc1", 2, "fc1")],
            Path.Combine(_folder.Path, "matrix"), chanceError: null);
        Assert.Equal(["cka.with-step_0.png"], matrix.Select(Path.GetFileName));
        Assert.True(new FileInfo(matrix[0]).Length > 1000);
    }

    [Fact]
    public void A_metric_family_named_by_a_second_layer_becomes_a_layer_by_layer_matrix_in_depth_order()
    {
        MetricValue V(string checkpoint, string layer, int index, string other, double value, int repeat = 0) => new(checkpoint, 0, layer, index, repeat, "cka.with." + other, value);
        var curve = LayerMatrixBuilder.Build(
            [V("a", "fc1", 2, "conv1", 0.4), V("a", "conv1", 1, "fc1", 0.4), V("a", "fc1", 2, "fc1", 1), V("a", "conv1", 1, "conv1", 1),
             V("a", "conv1", 1, "fc1", 0.6, repeat: 1), V("b", "conv1", 1, "fc1", 0.9), V("a", "conv1", 1, "gone", 0.1)],
            "cka.with.", "a");
        Assert.Equal(["conv1", "fc1"], curve.Series.Select(s => s.Name));
        Assert.Equal(["conv1", "fc1"], curve.Series[0].Points.Select(p => p.Label)); // a column without a row of its own is left out
        Assert.Equal([1.0, 0.5], curve.Series[0].Points.Select(p => p.Mean)); // the mean over repeats; checkpoint b not mixed in
        Assert.Equal([0.4, 1.0], curve.Series[1].Points.Select(p => p.Mean));
    }
}
