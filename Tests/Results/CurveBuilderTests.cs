using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Tests.Results;

/// <summary>Curves along layers (one series per checkpoint) and along checkpoints (one per layer), repeats averaged.</summary>
public class CurveBuilderTests
{
    private const string Error = MetricNames.ProbeTestError;

    private static MetricValue V(string checkpoint, long step, string layer, int index, int repeat, double value, string metric = Error) =>
        new(checkpoint, step, layer, index, repeat, metric, value);

    /// <summary>Deliberately out of order, with another metric mixed in.</summary>
    private static readonly MetricValue[] Values =
    [
        V("step-10", 10, "logits", 2, 0, 0.7),
        V("step-10", 10, "input", 0, 2, 0.6),
        V("step-10", 10, "layer1", 1, 1, 0.5),
        V("step-0", 0, "input", 0, 1, 0.15),
        V("step-10", 10, "input", 0, 0, 0.1),
        V("step-10", 10, "input", 0, 0, 99, MetricNames.ProbeTrainError),
        V("step-0", 0, "layer1", 1, 0, 0.5),
        V("step-10", 10, "layer1", 1, 0, 0.4),
        V("step-0", 0, "input", 0, 0, 0.05),
        V("step-10", 10, "input", 0, 1, 0.2),
    ];

    private static void AssertPoint(CurvePoint point, double x, string label, double mean, double stdDev, int count)
    {
        Assert.Equal(x, point.X);
        Assert.Equal(label, point.Label);
        Assert.Equal(mean, point.Mean, 1e-12);
        Assert.Equal(stdDev, point.StdDev, 1e-12);
        Assert.Equal(count, point.Count);
    }

    [Fact]
    public void Along_layers_there_is_one_series_per_checkpoint_in_step_order_with_points_in_depth_order()
    {
        var curve = CurveBuilder.Build(Values, Error, CurveAxis.Layer);

        Assert.Equal(Error, curve.Metric);
        Assert.Equal(CurveAxis.Layer, curve.Along);
        Assert.Equal(["step-0", "step-10"], curve.Series.Select(s => s.Name));
        Assert.Equal([0L, 10], curve.Series.Select(s => s.Order));

        var early = curve.Series[0].Points;
        Assert.Equal(2, early.Length);
        // input at step 0: repeats 0.05 and 0.15: mean 0.1, sample standard deviation sqrt((0.05² + 0.05²) / 1).
        AssertPoint(early[0], 0, "input", 0.1, Math.Sqrt(0.005), 2);
        AssertPoint(early[1], 1, "layer1", 0.5, 0, 1);

        var late = curve.Series[1].Points;
        Assert.Equal(3, late.Length);
        // input at step 10: 0.1, 0.2, 0.6: mean 0.3, deviations -0.2, -0.1, 0.3, so s² = (0.04 + 0.01 + 0.09) / 2 = 0.07.
        AssertPoint(late[0], 0, "input", 0.3, Math.Sqrt(0.07), 3);
        AssertPoint(late[1], 1, "layer1", 0.45, Math.Sqrt(0.005), 2);
        AssertPoint(late[2], 2, "logits", 0.7, 0, 1);
    }

    [Fact]
    public void Along_checkpoints_there_is_one_series_per_layer_in_depth_order_with_points_in_step_order()
    {
        var curve = CurveBuilder.Build(Values, Error, CurveAxis.Checkpoint);

        Assert.Equal(CurveAxis.Checkpoint, curve.Along);
        Assert.Equal(["input", "layer1", "logits"], curve.Series.Select(s => s.Name));
        Assert.Equal([0L, 1, 2], curve.Series.Select(s => s.Order));

        var input = curve.Series[0].Points;
        Assert.Equal(2, input.Length);
        AssertPoint(input[0], 0, "step-0", 0.1, Math.Sqrt(0.005), 2);
        AssertPoint(input[1], 10, "step-10", 0.3, Math.Sqrt(0.07), 3);

        var layer1 = curve.Series[1].Points;
        AssertPoint(layer1[0], 0, "step-0", 0.5, 0, 1);
        AssertPoint(layer1[1], 10, "step-10", 0.45, Math.Sqrt(0.005), 2);

        AssertPoint(Assert.Single(curve.Series[2].Points), 10, "step-10", 0.7, 0, 1);
    }

    [Fact]
    public void Series_follow_steps_and_layer_indices_not_names()
    {
        MetricValue[] values =
        [
            V("a-final", 900, "layer10", 10, 0, 0.3),
            V("z-start", 5, "layer10", 10, 0, 0.2),
            V("a-final", 900, "layer2", 2, 0, 0.1),
            V("m-middle", 40, "layer2", 2, 0, 0.4),
        ];

        var alongLayers = CurveBuilder.Build(values, Error, CurveAxis.Layer);
        Assert.Equal(["z-start", "m-middle", "a-final"], alongLayers.Series.Select(s => s.Name));
        Assert.Equal([2.0, 10.0], alongLayers.Series[2].Points.Select(p => p.X));
        Assert.Equal(["layer2", "layer10"], alongLayers.Series[2].Points.Select(p => p.Label));

        var alongCheckpoints = CurveBuilder.Build(values, Error, CurveAxis.Checkpoint);
        Assert.Equal(["layer2", "layer10"], alongCheckpoints.Series.Select(s => s.Name));
        Assert.Equal([40.0, 900.0], alongCheckpoints.Series[0].Points.Select(p => p.X));
        Assert.Equal([0.4, 0.1], alongCheckpoints.Series[0].Points.Select(p => p.Mean));
    }

    [Fact]
    public void Only_the_asked_metric_is_used()
    {
        var train = CurveBuilder.Build(Values, MetricNames.ProbeTrainError, CurveAxis.Layer);
        var series = Assert.Single(train.Series);
        AssertPoint(Assert.Single(series.Points), 0, "input", 99, 0, 1);

        Assert.Empty(CurveBuilder.Build(Values, MetricNames.ProbeValLoss, CurveAxis.Checkpoint).Series);
        Assert.Empty(CurveBuilder.Build([], Error, CurveAxis.Layer).Series);
    }

    [Fact]
    public void Many_repeats_average_to_the_hand_computed_mean_and_sample_standard_deviation()
    {
        // 1..10: mean 5.5, sum of squared deviations 82.5, sample variance 82.5 / 9.
        var values = Enumerable.Range(1, 10).Select(i => V("c", 1, "layer3", 3, i - 1, i)).ToList();

        var point = Assert.Single(Assert.Single(CurveBuilder.Build(values, Error, CurveAxis.Layer).Series).Points);

        AssertPoint(point, 3, "layer3", 5.5, Math.Sqrt(82.5 / 9), 10);
    }
}
