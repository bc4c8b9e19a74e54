using ProbeGrid.Analysis.Transport;

namespace ProbeGrid.Tests.Transport;

public class SinkhornSolverTests
{
    private static SinkhornResult Solve(double[] a, double[] b, CostMatrix cost, double epsilon, bool keepPlans = false) =>
        SinkhornSolver.Solve(a, b, cost, new SinkhornOptions { Epsilon = epsilon, Tolerance = 1e-9, MaxIterations = 100_000 }, keepPlans: keepPlans);

    [Fact]
    public void The_entropic_cost_approaches_the_exact_cost_as_the_regulariser_shrinks_within_the_entropy_bound()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 8; trial++)
        {
            var k = 3 + trial % 4;
            var cost = CostMatrix.FromValues(TransportProblems.PlanarCost(random, k), k);
            var a = TransportProblems.Distribution(random, k);
            var b = TransportProblems.Distribution(random, k, zeros: trial % 2 == 1);
            var exact = ExactTransport.Solve(a, b, cost).Cost;

            var gaps = new List<double>();
            foreach (var epsilon in new[] { 1.0, 0.1, 0.01, 0.001 })
            {
                var gap = Solve(a, b, cost, epsilon).Costs[0] - exact;
                // T_ε is a coupling, so it costs at least the optimum; and it gives up at most ε·(H(a) + H(b)) for its entropy.
                Assert.InRange(gap, -1e-7, epsilon * (TransportProblems.Entropy(a) + TransportProblems.Entropy(b)) + 1e-7);
                gaps.Add(gap);
            }
            Assert.True(gaps[0] > gaps[2], $"trial {trial}: gap at ε=1 {gaps[0]} should exceed gap at ε=0.01 {gaps[2]}");
            Assert.True(gaps[3] < 5e-3, $"trial {trial}: at ε=0.001 the gap {gaps[3]} should be tiny");
        }
    }

    [Fact]
    public void The_plan_has_the_given_marginals()
    {
        var random = new Random(4);
        const int k = 5;
        var a = TransportProblems.Distribution(random, k, zeros: true);
        var b = TransportProblems.Distribution(random, k);
        var result = Solve(a, b, CostMatrix.FromValues(TransportProblems.PlanarCost(random, k), k), 0.01, keepPlans: true);
        Assert.True(result.Converged);
        ExactTransportTests.AssertMarginals(result.Plans, a, b, 1e-8);
        // Zero mass stays zero: the plan's row of a zero entry of a is exactly 0.
        Assert.All(Enumerable.Range(0, k), j => Assert.Equal(0.0, result.Plans![1 * k + j]));
    }

    [Fact]
    public void With_a_zero_one_cost_at_the_papers_regulariser_nothing_underflows_and_the_cost_is_near_the_total_variation()
    {
        var random = new Random(5);
        const int k = 80;
        var a = TransportProblems.Distribution(random, k);
        var b = new double[k];
        b[3] = b[17] = b[40] = 1.0 / 3; // a multi-hot target, normalised
        var result = SinkhornSolver.Solve(a, b, CostMatrix.ZeroOne(k), new SinkhornOptions());
        Assert.True(result.Converged, result.Warning(new SinkhornOptions()));
        Assert.True(double.IsFinite(result.Costs[0]) && double.IsFinite(result.Objectives[0]));
        var tv = TransportProblems.TotalVariation(a, b);
        Assert.InRange(result.Costs[0] - tv, -1e-6, 0.01 * (TransportProblems.Entropy(a) + TransportProblems.Entropy(b)));
    }

    [Fact]
    public void Solving_a_batch_equals_solving_each_pair_alone()
    {
        var random = new Random(6);
        const int k = 7, pairs = 50;
        var cost = CostMatrix.FromValues(TransportProblems.PlanarCost(random, k), k);
        var a = Enumerable.Range(0, pairs).SelectMany(i => TransportProblems.Distribution(random, k, zeros: i % 5 == 0)).ToArray();
        var b = Enumerable.Range(0, pairs).SelectMany(i => TransportProblems.Distribution(random, k, zeros: i % 7 == 0)).ToArray();
        var batch = Solve(a, b, cost, 0.05);
        for (var i = 0; i < pairs; i++)
        {
            var alone = Solve(a[(i * k)..((i + 1) * k)], b[(i * k)..((i + 1) * k)], cost, 0.05);
            Assert.Equal(alone.Costs[0], batch.Costs[i], 1e-8);
            Assert.Equal(alone.Objectives[0], batch.Objectives[i], 1e-8);
        }
    }

    [Fact]
    public void The_fast_zero_one_kernel_agrees_with_the_dense_kernel()
    {
        var random = new Random(8);
        const int k = 6, pairs = 20;
        var a = Enumerable.Range(0, pairs).SelectMany(i => TransportProblems.Distribution(random, k, zeros: i % 3 == 0)).ToArray();
        var b = Enumerable.Range(0, pairs).SelectMany(i => TransportProblems.Distribution(random, k)).ToArray();
        // One entry nudged by 1e-12 makes the cost non-uniform, so it takes the dense O(K²) path.
        var nudged = CostMatrix.ZeroOne(k).Values.ToArray();
        nudged[1] += 1e-12;
        var fast = Solve(a, b, CostMatrix.ZeroOne(k), 0.05);
        var dense = Solve(a, b, CostMatrix.FromValues(nudged, k), 0.05);
        for (var i = 0; i < pairs; i++)
        {
            Assert.Equal(dense.Costs[i], fast.Costs[i], 1e-9);
            Assert.Equal(dense.Objectives[i], fast.Objectives[i], 1e-9);
        }
    }

    [Fact]
    public void The_objective_subtracts_the_entropy_of_the_plan()
    {
        // Identical point masses: the only coupling is T = δ, with cost 0 and H(T) = −1·(log 1 − 1) = 1.
        var result = Solve([1.0, 0.0, 0.0], [1.0, 0.0, 0.0], CostMatrix.ZeroOne(3), 0.1);
        Assert.Equal(0.0, result.Costs[0], 1e-12);
        Assert.Equal(-0.1, result.Objectives[0], 1e-12);
    }

    [Fact]
    public void An_iteration_cap_that_is_too_low_is_reported_not_hidden()
    {
        var random = new Random(7);
        const int k = 10;
        var a = TransportProblems.Distribution(random, k);
        var b = TransportProblems.Distribution(random, k);
        var options = new SinkhornOptions { Epsilon = 0.001, MaxIterations = 2, Tolerance = 1e-12 };
        var result = SinkhornSolver.Solve(a, b, CostMatrix.FromValues(TransportProblems.PlanarCost(random, k), k), options);
        Assert.False(result.Converged);
        Assert.Equal(1, result.UnconvergedPairs);
        Assert.Equal(2, result.Iterations);
        Assert.Contains("raise maxIterations or epsilon", result.Warning(options));
    }

    [Fact]
    public void Rows_that_are_not_distributions_are_refused_with_the_row_and_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => SinkhornSolver.Solve([0.5, 0.5, 0.2, 0.2], [0.5, 0.5, 0.5, 0.5], CostMatrix.ZeroOne(2), new SinkhornOptions()));
        Assert.Contains("source row 1 is not a distribution (sums to 0.4)", e.Message);
        Assert.Contains("normalise each row", e.Message);
        e = Assert.Throws<ArgumentException>(() => SinkhornSolver.Solve([0.5, 0.5], [double.NaN, 1], CostMatrix.ZeroOne(2), new SinkhornOptions()));
        Assert.Contains("target row 0 is not a distribution (a negative or non-finite entry)", e.Message);
    }
}
