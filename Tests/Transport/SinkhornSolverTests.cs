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
    public void The_closed_form_for_the_zero_one_cost_agrees_with_dense_Sinkhorn_where_Sinkhorn_converges()
    {
        var random = new Random(8);
        const int k = 6, pairs = 20;
        var a = Enumerable.Range(0, pairs).SelectMany(i => TransportProblems.Distribution(random, k, zeros: i % 3 == 0)).ToArray();
        var b = Enumerable.Range(0, pairs).SelectMany(i => TransportProblems.Distribution(random, k)).ToArray();
        a[0..k].CopyTo(b, 0); // one pair identical, whose only transport is entropic
        a[k..(2 * k)].CopyTo(b, k);
        b[k + 2] -= 1e-3;
        b[k + 4] += 1e-3; // one whose distributions differ by 1e-3 only (closer ones are too slow for the dense reference)
        // One entry nudged by 1e-12 makes the cost non-uniform, so it takes the iterative dense O(K²) path.
        var nudged = CostMatrix.ZeroOne(k).Values.ToArray();
        nudged[1] += 1e-12;
        foreach (var epsilon in new[] { 1.0, 0.2, 0.1 })
        {
            var exact = Solve(a, b, CostMatrix.ZeroOne(k), epsilon);
            var dense = Solve(a, b, CostMatrix.FromValues(nudged, k), epsilon);
            Assert.True(exact.Converged && dense.Converged, $"ε = {epsilon}: {exact.Warning(new SinkhornOptions { Tolerance = 1e-9 })} {dense.Warning(new SinkhornOptions { Tolerance = 1e-9 })}");
            for (var i = 0; i < pairs; i++)
            {
                Assert.Equal(dense.Costs[i], exact.Costs[i], 1e-9);
                Assert.Equal(dense.Objectives[i], exact.Objectives[i], 1e-9);
            }
        }
    }

    /// <summary>
    /// K = 80 labels (COCO's), ε = 0.01, 0/1 cost, a 3-label target and a prediction whose mass on one label
    /// exceeds the target's by 1.2e-4: plain Sinkhorn stopped at 10,000 iterations with a marginal error of 2.4e-4.
    /// </summary>
    private static (double[] A, double[] B) PapersSettingProblem()
    {
        const int k = 80;
        const double surplus = 1.2e-4;
        var (a, b) = (new double[k], new double[k]);
        for (var i = 0; i < k; i++) a[i] = 0.0001 * (1 + i * 37 % 11);
        foreach (var i in new[] { 3, 17, 40 }) (a[i], b[i]) = (0, 1.0 / 3);
        var rest = a.Sum();
        (a[17], a[3], a[40]) = (1.0 / 3 + surplus, 1.0 / 3 - 0.6 * (rest + surplus), 1.0 / 3 - 0.4 * (rest + surplus));
        return (a, b);
    }

    [Fact]
    public void The_papers_setting_converges_with_the_default_options_and_agrees_with_POT_and_exact_transport()
    {
        var (a, b) = PapersSettingProblem();
        var options = new SinkhornOptions(); // ε = 0.01, tolerance 1e-6
        var result = SinkhornSolver.Solve(a, b, CostMatrix.ZeroOne(80), options, keepPlans: true);
        Assert.True(result.Converged, result.Warning(options));
        Assert.InRange(result.MaxMarginalError, 0, options.Tolerance);
        ExactTransportTests.AssertMarginals(result.Plans, a, b, 1e-12);
        // POT 0.8.2, ot.sinkhorn2(a, b, 1 − I, 0.01, method="sinkhorn_log", stopThr=1e-12): 0.0466199999991826 after 194,320 iterations.
        Assert.Equal(0.0466199999991826, result.Costs[0], 1e-11);
        var exact = ExactTransport.Solve(a, b, CostMatrix.ZeroOne(80)).Cost;
        Assert.Equal(TransportProblems.TotalVariation(a, b), exact, 1e-12);
        Assert.InRange(result.Costs[0] - exact, -1e-12, options.Epsilon * (TransportProblems.Entropy(a) + TransportProblems.Entropy(b)));
    }

    [Fact]
    public void Tiny_regularisers_on_the_zero_one_cost_stay_finite_where_e_to_the_minus_c_over_epsilon_underflows()
    {
        // ε = 1e-4: δ = e^(−10,000) is 0 in double precision, and identical distributions move only ~δ of mass.
        double[] a = [0.5, 0.3, 0.2, 0], b = [0.5, 0.3, 0.2, 0];
        var result = SinkhornSolver.Solve([.. a, .. a], [.. b, 0.2, 0.3, 0.5, 0], CostMatrix.ZeroOne(4), new SinkhornOptions { Epsilon = 1e-4 });
        Assert.True(result.Converged, result.Warning(new SinkhornOptions()));
        Assert.Equal(0.0, result.Costs[0], 1e-15);
        // <T, C> − ε·H(T) with T = diag(a): −ε·Σ a_i(1 − log a_i).
        Assert.Equal(-1e-4 * a.Where(x => x > 0).Sum(x => x * (1 - Math.Log(x))), result.Objectives[0], 1e-12);
        Assert.Equal(0.3, result.Costs[1], 1e-12); // the total variation, the entropic cost's limit
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
