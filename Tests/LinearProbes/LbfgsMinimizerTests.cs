using ProbeGrid.Analysis.LinearProbes;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.LinearProbes;

public class LbfgsMinimizerTests
{
    /// <summary>Steps until the minimiser reports a (numerical) minimum; returns the steps taken.</summary>
    private static int Minimise(Tensor theta, Func<Tensor, Tensor> objective, int maxSteps)
    {
        using var minimizer = new LbfgsMinimizer();
        for (var step = 1; step <= maxSteps; step++)
            if (!minimizer.Step(theta, objective))
                return step;
        return maxSteps + 1;
    }

    private static double[] Values(Tensor t) => t.detach().data<double>().ToArray();

    [Fact]
    public void A_quadratic_with_an_SPD_matrix_is_minimised_at_the_closed_form_solution()
    {
        using var scope = torch.NewDisposeScope();
        // f(x) = ½ xᵀAx − bᵀx has its minimum at A⁻¹b; b is chosen so that A⁻¹b = (1, −2, 3).
        var a = torch.tensor(new double[] { 4, 1, 0, 1, 3, 1, 0, 1, 2 }).reshape(3, 3);
        var b = torch.tensor(new double[] { 2, -2, 4 });
        var theta = torch.zeros(3, dtype: ScalarType.Float64).requires_grad_(true);

        var steps = Minimise(theta, x => 0.5 * x.dot(a.mv(x)) - b.dot(x), maxSteps: 100);

        Assert.True(steps <= 30, $"{steps} steps for a 3-dimensional quadratic");
        var x = Values(theta);
        Assert.Equal(1, x[0], 1e-5);
        Assert.Equal(-2, x[1], 1e-5);
        Assert.Equal(3, x[2], 1e-5);
    }

    [Fact]
    public void An_ill_conditioned_quadratic_is_minimised_despite_a_condition_number_of_10000()
    {
        using var scope = torch.NewDisposeScope();
        // Diagonal from 1 to 10⁴: gradient descent would need ~10⁴ steps; a full first step would overshoot wildly.
        var diagonal = torch.tensor(new double[] { 1, 10, 100, 1000, 10000 });
        var target = torch.tensor(new double[] { 5, -4, 3, -2, 1 });
        var theta = torch.zeros(5, dtype: ScalarType.Float64).requires_grad_(true);

        var steps = Minimise(theta, x => 0.5 * (diagonal * (x - target).square()).sum(), maxSteps: 200);

        Assert.True(steps <= 200, "did not converge in 200 steps");
        var x = Values(theta);
        double[] expected = [5, -4, 3, -2, 1];
        for (var i = 0; i < 5; i++) Assert.Equal(expected[i], x[i], 1e-5);
    }

    [Fact]
    public void The_Rosenbrock_function_is_minimised_at_1_1_from_the_classic_start()
    {
        using var scope = torch.NewDisposeScope();
        var theta = torch.tensor(new double[] { -1.2, 1 }).requires_grad_(true);

        var steps = Minimise(theta, t =>
        {
            var (x, y) = (t[0], t[1]);
            return (1 - x).square() + 100 * (y - x.square()).square();
        }, maxSteps: 500);

        Assert.True(steps <= 500, "did not converge in 500 steps");
        var solution = Values(theta);
        Assert.Equal(1, solution[0], 1e-4);
        Assert.Equal(1, solution[1], 1e-4);
    }

    [Fact]
    public void At_an_exact_minimum_no_step_is_taken_and_the_point_is_left_unchanged()
    {
        using var scope = torch.NewDisposeScope();
        var theta = torch.tensor(new double[] { 2, -3 }).requires_grad_(true);
        var centre = torch.tensor(new double[] { 2, -3 });
        using var minimizer = new LbfgsMinimizer();

        var moved = minimizer.Step(theta, x => (x - centre).square().sum());

        Assert.False(moved);
        Assert.Equal([2.0, -3.0], Values(theta));
    }

    [Fact]
    public void Every_accepted_step_lowers_the_objective()
    {
        using var scope = torch.NewDisposeScope();
        var theta = torch.tensor(new double[] { -1.2, 1 }).requires_grad_(true);
        Func<Tensor, Tensor> rosenbrock = t => (1 - t[0]).square() + 100 * (t[1] - t[0].square()).square();
        double Value() { using var noGrad = torch.no_grad(); return rosenbrock(theta).item<double>(); }
        using var minimizer = new LbfgsMinimizer(historySize: 3);

        var previous = Value();
        for (var i = 0; i < 40 && minimizer.Step(theta, rosenbrock); i++)
        {
            var current = Value();
            Assert.True(current < previous, $"step {i} raised f from {previous} to {current}");
            previous = current;
        }
        Assert.True(previous < 0.5, $"f is still {previous} after 40 steps");
    }
}
