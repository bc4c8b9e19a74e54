using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Tests.Results;

/// <summary>Where the line plots draw their points.</summary>
public class CurvePlotterTests
{
    private static MetricValue V(string checkpoint, long step, string layer, int index, double value) =>
        new(checkpoint, step, layer, index, 0, MetricNames.ProbeTestError, value);

    /// <summary>inception_v3's taps sit at module indices 2, 5, 9 ... 300: drawn at those indices the stem would bunch at the left.</summary>
    private static readonly MetricValue[] Values =
    [
        V("step-0", 0, "Conv2d_1a_3x3", 2, 0.3), V("step-0", 0, "Conv2d_2a_3x3", 5, 0.3), V("step-0", 0, "Mixed_7c", 300, 0.4),
        V("step-25", 25, "Conv2d_1a_3x3", 2, 0.2), V("step-25", 25, "Mixed_5b", 90, 0.25), V("step-25", 25, "Mixed_7c", 300, 0.3),
    ];

    [Fact]
    public void Layers_are_drawn_evenly_spaced_in_network_order_whatever_their_module_indices()
    {
        var position = CurvePlotter.XPositions(CurveBuilder.Build(Values, MetricNames.ProbeTestError, CurveAxis.Layer));
        Assert.Equal([0.0, 1, 2, 3], new double[] { 2, 5, 90, 300 }.Select(position));
    }

    [Fact]
    public void Checkpoints_keep_their_training_steps_as_positions()
    {
        var position = CurvePlotter.XPositions(CurveBuilder.Build(Values, MetricNames.ProbeTestError, CurveAxis.Checkpoint));
        Assert.Equal([0.0, 25], new double[] { 0, 25 }.Select(position));
    }
}
