using ProbeGrid.Analysis.Complexity;

namespace ProbeGrid.Tests.Complexity;

public class PerformanceRegressorTests
{
    private static double[][] RandomRows(int rows, int features, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, features).Select(_ => random.NextDouble() * 4 - 2).ToArray())];
    }

    [Fact]
    public void Noise_free_data_are_recovered_exactly_and_predicted_exactly_out_of_sample()
    {
        var x = RandomRows(12, 2, seed: 3);
        var y = x.Select(r => 2 + 3 * r[0] - r[1]).ToArray();
        var report = PerformanceRegressor.Evaluate(x, y, ridge: 0, repeats: 50, testShare: 0.25, seed: 1);
        Assert.Equal(2, report.Fit.Intercept, new Tolerance(1e-9));
        Assert.Equal([3.0, -1.0], report.Fit.Coefficients, new Tolerance(1e-9));
        Assert.Equal(1, report.Fit.InSampleR2, new Tolerance(1e-12));
        Assert.True(report.LeaveOneOut.Rmse < 1e-9, $"LOO RMSE {report.LeaveOneOut.Rmse}");
        Assert.True(report.LeaveOneOut.Mae < 1e-9);
        Assert.Equal(1, report.LeaveOneOut.R2, new Tolerance(1e-12));
        Assert.True(report.LeaveOneOut.BaselineRmse > 1, "the training mean is a poor predictor of this target");
        Assert.True(report.RandomSplits.Rmse < 1e-9, $"random-split RMSE {report.RandomSplits.Rmse}");
        Assert.Equal(y, report.LeaveOneOut.Predictions, new Tolerance(1e-9));
    }

    [Fact]
    public void One_feature_least_squares_matches_the_closed_form()
    {
        // x = 1..4, y = 2, 3, 5, 6: x̄ = 2.5, ȳ = 4, Sxx = 5, Sxy = 7, so slope 7/5 = 1.4 and intercept 4 − 1.4·2.5 = 0.5.
        // Fitted 1.9, 3.3, 4.7, 6.1; residuals 0.1, −0.3, 0.3, −0.1: SSE 0.2, SST 10, R² = 0.98.
        var fit = PerformanceRegressor.Fit([[1], [2], [3], [4]], [2, 3, 5, 6]);
        Assert.Equal(1.4, fit.Coefficients[0], new Tolerance(1e-12));
        Assert.Equal(0.5, fit.Intercept, new Tolerance(1e-12));
        Assert.Equal(0.98, fit.InSampleR2, new Tolerance(1e-12));
        Assert.Equal(4.7, fit.Predict([3]), new Tolerance(1e-12));
        Assert.Equal(4, fit.Rows);
    }

    [Fact]
    public void Leave_one_out_residuals_of_least_squares_are_the_hat_matrix_closed_form()
    {
        const int n = 12, p = 3;
        var x = RandomRows(n, p, seed: 7);
        var random = new Random(8);
        var y = x.Select(r => 1 + r[0] - 2 * r[1] + 0.5 * r[2] + random.NextDouble() - 0.5).ToArray();

        // Design with an intercept column; H = X (XᵀX)⁻¹ Xᵀ, e = y − X b; the LOO residual is e_i / (1 − h_ii).
        var design = x.Select(r => new[] { 1.0 }.Concat(r).ToArray()).ToArray();
        var inverse = Invert(Gram(design));
        var b = Enumerable.Range(0, p + 1).Select(j => Enumerable.Range(0, p + 1).Sum(k => inverse[j, k] * Enumerable.Range(0, n).Sum(i => design[i][k] * y[i]))).ToArray();
        var expected = Enumerable.Range(0, n).Select(i =>
        {
            var e = y[i] - Enumerable.Range(0, p + 1).Sum(j => design[i][j] * b[j]);
            var h = Enumerable.Range(0, p + 1).Sum(j => Enumerable.Range(0, p + 1).Sum(k => design[i][j] * inverse[j, k] * design[i][k]));
            return e / (1 - h);
        }).ToArray();

        var loo = PerformanceRegressor.LeaveOneOut(x, y);
        var residuals = y.Select((v, i) => v - loo.Predictions[i]).ToArray();
        Assert.Equal(expected, residuals, new Tolerance(1e-9));
        Assert.Equal(Math.Sqrt(expected.Average(e => e * e)), loo.Rmse, new Tolerance(1e-9));
        Assert.Equal(expected.Average(Math.Abs), loo.Mae, new Tolerance(1e-9));
        Assert.Equal(n, loo.Splits);
        Assert.Equal(1, loo.TestRows);
        Assert.True(expected.Any(e => Math.Abs(e) > 0.1), "the problem has noise, so the check is not trivially 0 = 0");
    }

    [Fact]
    public void A_huge_ridge_penalty_shrinks_the_slopes_to_zero_and_predicts_the_mean()
    {
        var x = RandomRows(15, 3, seed: 11);
        var y = x.Select(r => 5 + 2 * r[0] + r[1] - r[2]).ToArray();
        var ols = PerformanceRegressor.Fit(x, y);
        var mild = PerformanceRegressor.Fit(x, y, ridge: 5);
        var huge = PerformanceRegressor.Fit(x, y, ridge: 1e12);
        double Norm(RegressionFit f) => Math.Sqrt(f.Coefficients.Sum(c => c * c));
        Assert.True(Norm(mild) < Norm(ols), $"λ = 5 shrinks: {Norm(mild)} vs {Norm(ols)}");
        Assert.All(huge.Coefficients, c => Assert.True(Math.Abs(c) < 1e-9, $"slope {c}"));
        Assert.Equal(y.Average(), huge.Intercept, new Tolerance(1e-9));
        Assert.All(x, r => Assert.Equal(y.Average(), huge.Predict(r), new Tolerance(1e-9)));
        Assert.Equal(0, huge.InSampleR2, new Tolerance(1e-9));
        // Out of sample it is then the baseline itself.
        var loo = PerformanceRegressor.LeaveOneOut(x, y, ridge: 1e12);
        Assert.Equal(loo.BaselineRmse, loo.Rmse, new Tolerance(1e-9));
        Assert.Equal(0, loo.R2, new Tolerance(1e-9));
    }

    [Fact]
    public void The_ridge_penalty_does_not_depend_on_the_features_units()
    {
        var x = RandomRows(10, 2, seed: 5);
        var y = x.Select(r => r[0] - r[1] + 0.1 * r[0] * r[1]).ToArray();
        var scaled = x.Select(r => new[] { r[0] * 1000, r[1] }).ToArray();
        var fit = PerformanceRegressor.Fit(x, y, ridge: 3);
        var fitScaled = PerformanceRegressor.Fit(scaled, y, ridge: 3);
        Assert.Equal(fit.Coefficients[0], fitScaled.Coefficients[0] * 1000, new Tolerance(1e-9));
        Assert.Equal(fit.Coefficients[1], fitScaled.Coefficients[1], new Tolerance(1e-9));
        Assert.Equal(fit.Intercept, fitScaled.Intercept, new Tolerance(1e-9));
    }

    [Fact]
    public void Seeded_random_splits_are_deterministic_and_hold_out_the_stated_share()
    {
        var splits = PerformanceRegressor.SplitTestRows(25, 0.2, 1000, seed: 42);
        Assert.Equal(1000, splits.Count);
        Assert.All(splits, s =>
        {
            Assert.Equal(5, s.Length);
            Assert.Equal(5, s.Distinct().Count());
            Assert.All(s, i => Assert.InRange(i, 0, 24));
        });
        // Each network is held out about 20% of the time (binomial: 200 ± 12.6).
        var counts = Enumerable.Range(0, 25).Select(i => splits.Count(s => s.Contains(i))).ToList();
        Assert.All(counts, c => Assert.InRange(c, 140, 260));
        Assert.True(splits.Select(s => string.Join(',', s.Order())).Distinct().Count() > 900, "the splits differ from repeat to repeat");

        var again = PerformanceRegressor.SplitTestRows(25, 0.2, 1000, seed: 42);
        Assert.Equal(splits.Select(s => string.Join(',', s)), again.Select(s => string.Join(',', s)));
        var other = PerformanceRegressor.SplitTestRows(25, 0.2, 1000, seed: 43);
        Assert.NotEqual(splits.Select(s => string.Join(',', s)), other.Select(s => string.Join(',', s)));

        Assert.Equal(3, PerformanceRegressor.TestCount(10, 0.25)); // 2.5 rounds away from zero
        Assert.Equal(1, PerformanceRegressor.TestCount(4, 0.01));  // at least one
        Assert.Equal(3, PerformanceRegressor.TestCount(4, 0.99));  // at least one left to fit
    }

    [Fact]
    public void Random_split_scores_pool_the_held_out_errors_of_the_stated_splits()
    {
        var x = RandomRows(25, 2, seed: 9);
        var random = new Random(10);
        var y = x.Select(r => r[0] + random.NextDouble()).ToArray();
        var cv = PerformanceRegressor.RandomSplits(x, y, ridge: 0, repeats: 40, testShare: 0.2, seed: 4);
        Assert.Equal(PerformanceRegressor.RandomSplitsProtocol, cv.Protocol);
        Assert.Equal((40, 5), (cv.Splits, cv.TestRows));

        double sse = 0, sae = 0, baseline = 0;
        foreach (var test in PerformanceRegressor.SplitTestRows(25, 0.2, 40, seed: 4))
        {
            var train = Enumerable.Range(0, 25).Except(test).ToArray();
            var fit = PerformanceRegressor.Fit([.. train.Select(i => x[i])], [.. train.Select(i => y[i])]);
            var mean = train.Average(i => y[i]);
            foreach (var i in test)
            {
                sse += Math.Pow(y[i] - fit.Predict(x[i]), 2);
                sae += Math.Abs(y[i] - fit.Predict(x[i]));
                baseline += Math.Pow(y[i] - mean, 2);
            }
        }
        Assert.Equal(Math.Sqrt(sse / 200), cv.Rmse, new Tolerance(1e-12));
        Assert.Equal(sae / 200, cv.Mae, new Tolerance(1e-12));
        Assert.Equal(Math.Sqrt(baseline / 200), cv.BaselineRmse, new Tolerance(1e-12));
        Assert.Equal(1 - sse / baseline, cv.R2, new Tolerance(1e-12));
        Assert.True(cv.R2 > 0.5, $"x0 explains most of y: R² {cv.R2}");
        Assert.Equal(cv, PerformanceRegressor.RandomSplits(x, y, ridge: 0, repeats: 40, testShare: 0.2, seed: 4), new CrossValidationComparer());
    }

    [Fact]
    public void Bad_inputs_name_the_cause_and_the_fix()
    {
        string[] names = ["a", "b"];
        string Message(Action act) => Assert.Throws<ArgumentException>(act).Message;

        var three = RandomRows(3, 2, seed: 1);
        Assert.Contains("3 row(s), but least squares with 2 features and an intercept needs at least 4",
            Message(() => PerformanceRegressor.LeaveOneOut(three, [1, 2, 3])));
        Assert.Contains("use a ridge penalty", Message(() => PerformanceRegressor.LeaveOneOut(three, [1, 2, 3])));
        Assert.Contains("ridge regression (λ = 1) needs at least 3",
            Message(() => PerformanceRegressor.LeaveOneOut(RandomRows(2, 2, seed: 1), [1, 2], ridge: 1)));
        _ = PerformanceRegressor.LeaveOneOut(three, [1, 2, 3], ridge: 1); // 3 rows are enough with ridge

        var nan = RandomRows(5, 2, seed: 2);
        nan[2][1] = double.NaN;
        Assert.Contains("feature 1 (b) of row 2 is NaN", Message(() => PerformanceRegressor.Fit(nan, [1, 2, 3, 4, 5], names: names)));
        Assert.Contains("the target of row 4 is Infinity",
            Message(() => PerformanceRegressor.Fit(RandomRows(5, 2, seed: 2), [1, 2, 3, 4, double.PositiveInfinity])));

        var constant = RandomRows(6, 2, seed: 3);
        foreach (var row in constant) row[1] = 0.5;
        Assert.Contains("feature 1 (b) is constant over the rows (0.5)", Message(() => PerformanceRegressor.Fit(constant, [1, 2, 3, 4, 5, 6], names: names)));

        Assert.Contains("the features have 5 rows but the target has 4 values",
            Message(() => PerformanceRegressor.Fit(RandomRows(5, 2, seed: 4), [1, 2, 3, 4])));
        var ragged = RandomRows(5, 2, seed: 4);
        ragged[3] = [1.0];
        Assert.Contains("row 3 has 1 features but row 0 has 2", Message(() => PerformanceRegressor.Fit(ragged, [1, 2, 3, 4, 5])));
        Assert.Contains("λ must be finite and ≥ 0", Message(() => PerformanceRegressor.Fit(RandomRows(5, 2, seed: 4), [1, 2, 3, 4, 5], ridge: -1)));
        Assert.Contains("the target is constant", Message(() => PerformanceRegressor.Fit(RandomRows(5, 2, seed: 4), [1, 1, 1, 1, 1])));

        var collinear = RandomRows(8, 2, seed: 5).Select(r => new[] { r[0], r[1], r[0] + r[1] }).ToArray();
        var y = Enumerable.Range(0, 8).Select(i => (double)i).ToArray();
        Assert.Contains("collinear", Message(() => PerformanceRegressor.Fit(collinear, y)));
        _ = PerformanceRegressor.Fit(collinear, y, ridge: 0.1);

        Assert.Contains("lower the test share",
            Message(() => PerformanceRegressor.RandomSplits(RandomRows(5, 2, seed: 6), [1, 2, 3, 4, 5], 0, 10, testShare: 0.6, seed: 0)));
        Assert.Contains("between 0 and 1", Message(() => PerformanceRegressor.SplitTestRows(10, 1.5, 10, 0)));
        Assert.Contains("at least 1", Message(() => PerformanceRegressor.SplitTestRows(10, 0.2, 0, 0)));
    }

    private static double[,] Gram(double[][] design)
    {
        var k = design[0].Length;
        var g = new double[k, k];
        foreach (var row in design)
            for (var i = 0; i < k; i++)
                for (var j = 0; j < k; j++) g[i, j] += row[i] * row[j];
        return g;
    }

    /// <summary>Gauss–Jordan with partial pivoting, independent of the regressor's Cholesky.</summary>
    private static double[,] Invert(double[,] a)
    {
        var k = a.GetLength(0);
        var m = new double[k, 2 * k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++) m[i, j] = a[i, j];
            m[i, k + i] = 1;
        }
        for (var c = 0; c < k; c++)
        {
            var pivot = Enumerable.Range(c, k - c).MaxBy(r => Math.Abs(m[r, c]));
            for (var j = 0; j < 2 * k; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            var d = m[c, c];
            for (var j = 0; j < 2 * k; j++) m[c, j] /= d;
            for (var r = 0; r < k; r++)
            {
                if (r == c) continue;
                var f = m[r, c];
                for (var j = 0; j < 2 * k; j++) m[r, j] -= f * m[c, j];
            }
        }
        var inverse = new double[k, k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++) inverse[i, j] = m[i, k + j];
        return inverse;
    }

    private sealed class CrossValidationComparer : IEqualityComparer<CrossValidation>
    {
        public bool Equals(CrossValidation? a, CrossValidation? b) =>
            a is not null && b is not null && a.Rmse == b.Rmse && a.Mae == b.Mae && a.R2 == b.R2 && a.BaselineRmse == b.BaselineRmse && a.Predictions.SequenceEqual(b.Predictions);

        public int GetHashCode(CrossValidation obj) => 0;
    }
}
