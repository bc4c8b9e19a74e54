using ProbeGrid.Analysis.Transport;

namespace ProbeGrid.Tests.Transport;

public class ExactTransportTests
{
    [Fact]
    public void With_a_zero_one_cost_the_optimal_cost_is_the_total_variation()
    {
        var random = new Random(1);
        for (var trial = 0; trial < 20; trial++)
        {
            var k = 2 + trial % 6;
            var a = TransportProblems.Distribution(random, k, zeros: trial % 2 == 0);
            var b = TransportProblems.Distribution(random, k);
            var (cost, plan) = ExactTransport.Solve(a, b, CostMatrix.ZeroOne(k));
            Assert.Equal(TransportProblems.TotalVariation(a, b), cost, 1e-12);
            AssertMarginals(plan, a, b, 1e-12);
        }
    }

    [Fact]
    public void On_a_line_with_cost_distance_the_optimal_cost_is_the_area_between_the_cumulative_distributions()
    {
        var random = new Random(2);
        const int k = 6;
        var line = CostMatrix.FromValues((from i in Enumerable.Range(0, k) from j in Enumerable.Range(0, k) select (double)Math.Abs(i - j)).ToArray(), k);
        for (var trial = 0; trial < 10; trial++)
        {
            var a = TransportProblems.Distribution(random, k);
            var b = TransportProblems.Distribution(random, k, zeros: true);
            double expected = 0, ca = 0, cb = 0;
            for (var i = 0; i < k - 1; i++)
            {
                ca += a[i];
                cb += b[i];
                expected += Math.Abs(ca - cb);
            }
            Assert.Equal(expected, ExactTransport.Solve(a, b, line).Cost, 1e-12);
        }
    }

    [Fact]
    public void A_hand_solved_problem()
    {
        // Move 0.7/0.3 to 0.3/0.7 on two labels at cost 1 apart: 0.4 must move.
        var (cost, plan) = ExactTransport.Solve([0.7, 0.3], [0.3, 0.7], CostMatrix.ZeroOne(2));
        Assert.Equal(0.4, cost, 1e-15);
        Assert.Equal([0.3, 0.4, 0.0, 0.3], plan, new Tolerance(1e-15));
    }

    internal static void AssertMarginals(ReadOnlySpan<double> plan, double[] a, double[] b, double tolerance)
    {
        var k = a.Length;
        for (var i = 0; i < k; i++)
        {
            double row = 0, column = 0;
            for (var j = 0; j < k; j++)
            {
                row += plan[i * k + j];
                column += plan[j * k + i];
                Assert.True(plan[i * k + j] >= 0);
            }
            Assert.Equal(a[i], row, tolerance);
            Assert.Equal(b[i], column, tolerance);
        }
    }
}
