using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Tests.Results;

public class SpectrumBuilderTests
{
    private static MetricValue V(string checkpoint, long step, string layer, int repeat, string metric, double value) =>
        new(checkpoint, step, layer, 3, repeat, metric, value);

    [Fact]
    public void Per_order_metrics_become_a_curve_along_the_order_averaged_over_repeats()
    {
        var values = new[]
        {
            V("late", 20, "conv", 0, "complexity.significance.l13", 0.1),
            V("late", 20, "conv", 0, "complexity.significance.l4", 0.3),
            V("late", 20, "conv", 1, "complexity.significance.l4", 0.5),
            V("early", 10, "conv", 0, "complexity.significance.l1", 0.9),
            V("late", 20, "conv", 0, "complexity.significance_other.l1", 7), // another metric: left out
            V("late", 20, "conv", 0, "complexity.significance.lx", 7),       // not an order: left out
            V("late", 20, "conv", 0, "complexity.remainder", 7),
        };
        var curve = SpectrumBuilder.Build(values, "complexity.significance", "run");
        Assert.Equal(CurveAxis.Order, curve.Along);
        Assert.Equal(["run early conv", "run late conv"], curve.Series.Select(s => s.Name));
        var late = curve.Series[1].Points;
        Assert.Equal([4.0, 13.0], late.Select(p => p.X)); // numeric order, not text order
        Assert.Equal(["l=4", "l=13"], late.Select(p => p.Label));
        Assert.Equal(0.4, late[0].Mean, 1e-12);
        Assert.Equal(Math.Sqrt(0.02), late[0].StdDev, 1e-12);
        Assert.Equal(2, late[0].Count);
        Assert.Null(SpectrumBuilder.OrderOf("complexity.significance.l-1", "complexity.significance.l"));
    }
}
