using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>The optimal probe reaches the optimum of its convex problem: checked against closed forms, scikit-learn and Newton's method.</summary>
public class ConvexProbeOptimumTests
{
    /// <summary>Tight tolerances, so agreement is limited by the references rather than by the stopping rule.</summary>
    private static OptimalProbeOptions Tight(params double[] l2) => new() { L2Grid = l2, GradientTolerance = 1e-11, ObjectiveTolerance = 0 };

    private static LayerFeatures SameOnEverySplit(FeatureMatrix features) => new("layer", features, features, features);

    [Fact]
    public void One_symmetric_feature_gives_the_root_of_the_scalar_optimality_condition_for_sigmoid_and_softmax()
    {
        // x = ±1 (100 each, so already standardised); P(y = 1 | x = +1) = P(y = 0 | x = −1) = 0.7. By symmetry b = 0, and
        // the optimum w of mean BCE + (λ/2)w² solves σ(w) + λw = 0.7. A 2-class softmax has logit difference u = w₁ − w₀
        // with w₁ = −w₀ = u/2, a penalty (λ/4)u², so σ(u) + (λ/2)u = 0.7.
        const double lambda = 0.1;
        var x = Enumerable.Repeat(1f, 100).Concat(Enumerable.Repeat(-1f, 100)).ToArray();
        var y = Enumerable.Range(0, 200).Select(i => i < 100 ? (i < 70 ? 1L : 0L) : (i < 130 ? 1L : 0L)).ToArray();
        var layer = SameOnEverySplit(new FeatureMatrix(x, 200, 1));

        var sets = ProbeTargets.Sets(y.Select(v => (float)v).ToArray(), 1);
        var sigmoid = ConvexProbeSolver.Solve(layer, sets, sets, sets, 1, Tight(lambda));
        var classes = ProbeTargets.Classes(y);
        var softmax = ConvexProbeSolver.Solve(layer, classes, classes, classes, 2, Tight(lambda));

        var w = Root(v => Sigmoid(v) + lambda * v - 0.7);
        Assert.Equal(0.5828259716982532, w, 1e-12); // scipy.optimize.brentq on the same equation
        Assert.Equal(w, sigmoid.Weights[0], 1e-9);
        Assert.Equal(0, sigmoid.Bias[0], 1e-9);
        Assert.Equal(0.7 * Softplus(-w) + 0.3 * Softplus(w) + lambda / 2 * w * w, sigmoid.Objective, 1e-12);
        Assert.True(sigmoid.Converged);

        var u = Root(v => Sigmoid(v) + lambda / 2 * v - 0.7);
        Assert.Equal(0.688286621773735, u, 1e-12); // scipy.optimize.brentq
        Assert.Equal(-u / 2, softmax.Weights[0], 1e-9);
        Assert.Equal(u / 2, softmax.Weights[1], 1e-9);
        Assert.Equal(0.7 * Softplus(-u) + 0.3 * Softplus(u) + lambda / 4 * u * u, softmax.Objective, 1e-12);
        Assert.Equal(0.3, softmax.TrainError, 1e-12);
    }

    [Fact]
    public void A_three_class_softmax_probe_matches_scikit_learns_multinomial_logistic_regression()
    {
        // Expected values: python3-sklearn 1.2.1, StandardScaler statistics and LogisticRegression(C = 1/(90·0.01),
        // multi_class='multinomial', tol=1e-12) on the same data, then polished by Newton steps in numpy to a gradient
        // of 3e-17 (sklearn's own answer stops at gradient 1e-6 and differs from this by at most 7e-6 in W).
        var (features, labels) = IntegerThreeClassProblem();
        var targets = ProbeTargets.Classes(labels);

        var result = ConvexProbeSolver.Solve(SameOnEverySplit(features), targets, targets, targets, 3, Tight(0.01));

        AssertClose([-0.4375, 0.38333333333333336, -0.21944444444444444, -0.19583333333333333], result.Standardization.Mean, 1e-12);
        AssertClose([1.50499746216102, 1.3725736167263796, 1.5558258693704994, 1.37664674117945], result.Standardization.Scale, 1e-12);
        double[] w =
        [
            0.15014866112936387, 0.3692376865852639, -0.5193863477146256,
            -0.33912317712450857, 0.41132284888294296, -0.07219967175843703,
            0.17544178208785544, -0.40872652111235036, 0.23328473902449434,
            0.7401128811098303, -0.15593310063516633, -0.5841797804746666,
        ];
        AssertClose(w, result.Weights, 1e-8);
        AssertClose([-0.32977906787212746, 0.5795286356626611, -0.24974956779053362], result.Bias, 1e-8);
        Assert.Equal(0.80528789887076269, result.Objective, 1e-12);
        Assert.Equal(0.79586962758224944, result.TrainLoss, 1e-12);
        Assert.Equal(28 / 90.0, result.TrainError, 1e-12);
        Assert.True(result.Converged, $"stopped by {result.StopReason}");
        // Folding the standardisation into the weights gives the same probe on raw features.
        Assert.Equal(result.TrainLoss, ProbeProblem.MeanCrossEntropy(result.ToRawWeights(), features, labels), 1e-5);
    }

    [Fact]
    public void A_label_set_probe_solves_each_class_as_its_own_binary_logistic_regression()
    {
        var random = new Random(11);
        const int n = 120, d = 3, classes = 3;
        const double lambda = 0.05;
        var data = Enumerable.Range(0, n * d).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        var features = new FeatureMatrix(data, n, d);
        // Class c is on when a noisy linear rule of its own fires: overlapping, not separable.
        var sets = new float[n * classes];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < classes; c++)
                sets[r * classes + c] = data[r * d + c] - 0.5 * data[r * d + (c + 1) % d] + random.NextDouble() * 2 - 1 > 0 ? 1 : 0;
        var targets = ProbeTargets.Sets(sets, classes);

        var result = ConvexProbeSolver.Solve(SameOnEverySplit(features), targets, targets, targets, classes, Tight(lambda));

        double objective = 0, penalty = 0;
        for (var c = 0; c < classes; c++)
        {
            var (wc, bc, fc) = BinaryLogisticNewton.Solve(features, Enumerable.Range(0, n).Select(r => (double)sets[r * classes + c]).ToArray(), lambda);
            for (var i = 0; i < d; i++) Assert.Equal(wc[i], result.Weights[i * classes + c], 1e-9);
            Assert.Equal(bc, result.Bias[c], 1e-9);
            objective += fc;
            penalty += lambda / 2 * wc.Sum(v => v * v);
        }
        Assert.Equal(objective, result.Objective, 1e-12); // the classes' objectives add up
        Assert.Equal((objective - penalty) / classes, result.TrainLoss, 1e-10); // reported as ProbeObjective does: mean over classes
        Assert.True(result.Converged);
    }

    [Fact]
    public void Separable_data_with_a_tiny_l2_is_fitted_without_error_and_the_solver_still_converges()
    {
        // Class 1 has x₀ in [1, 3], class 0 in [−3, −1]: separable, so only the penalty keeps W finite.
        var random = new Random(5);
        var labels = Enumerable.Range(0, 200).Select(i => (long)(i % 2)).ToArray();
        var data = labels.SelectMany(y => new[] { (float)((y == 1 ? 2 : -2) + random.NextDouble() * 2 - 1), (float)(random.NextDouble() * 6 - 3) }).ToArray();
        var targets = ProbeTargets.Classes(labels);

        var result = ConvexProbeSolver.Solve(SameOnEverySplit(new FeatureMatrix(data, 200, 2)), targets, targets, targets, 2,
            new OptimalProbeOptions { L2Grid = [1e-6], GradientTolerance = 1e-5 });

        Assert.Equal(0, result.TrainError);
        Assert.True(result.Converged, $"stopped by {result.StopReason} after {result.Iterations} iterations, gradient {result.GradientNorm}");
        Assert.True(result.GradientNorm <= 1e-5);
        Assert.True(result.TrainLoss < 1e-3, $"loss {result.TrainLoss}: near separation the optimum drives the loss toward 0");
    }

    /// <summary>Features are multiples of 1/8 made from integers, so Python rebuilds them exactly; labels a linear rule, every fourth moved on by one class.</summary>
    internal static (FeatureMatrix Features, long[] Labels) IntegerThreeClassProblem()
    {
        const int n = 90, d = 4;
        int[][] rule = [[1, -1, 0, 2], [0, 2, -1, -1], [-1, 0, 1, 0]];
        var data = new float[n * d];
        var labels = new long[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++) data[i * d + j] = ((i * (j + 3) * 37 + j * 11 + i * i) % 41 - 20) / 8f;
            var scores = rule.Select(a => a.Select((v, j) => v * (double)data[i * d + j]).Sum()).ToArray();
            var label = Array.IndexOf(scores, scores.Max());
            labels[i] = i % 4 == 0 ? (label + 1) % 3 : label;
        }
        return (new FeatureMatrix(data, n, d), labels);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], tolerance);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Softplus(double z) => Math.Log(1 + Math.Exp(z));

    /// <summary>The root of an increasing function on [−10, 10] by bisection.</summary>
    private static double Root(Func<double, double> f)
    {
        double lo = -10, hi = 10;
        for (var i = 0; i < 200; i++)
        {
            var mid = (lo + hi) / 2;
            if (f(mid) < 0) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }
}
