using System.Globalization;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// The feature-complexity paper's Exp. 6 (METHODS.md section 3): a linear regressor from a network's complexity
/// features (ρ_c and ρ_reliable per order) to its test loss or accuracy, with its cross-validated error.
/// <para>
/// Ordinary least squares with an intercept, or ridge regression (λ &gt; 0, never on the intercept). Features are
/// standardised on the training rows (mean 0, population standard deviation 1), so λ does not depend on their
/// units: it is added to the diagonal of ZᵀZ, whose diagonal is the number of training rows. The target is
/// centred, so the intercept is exactly the training mean in standardised space and the slopes solve
/// (ZᵀZ + λI) β = Zᵀ(y − ȳ) by Cholesky, in double precision; they are reported back in original units.
/// A feature constant on the training rows of one split (possible with few rows) gets slope 0 in that split.
/// </para>
/// </summary>
public static class PerformanceRegressor
{
    public const string RandomSplitsProtocol = "random-splits";
    public const string LeaveOneOutProtocol = "leave-one-out";

    /// <summary>Rows a cross-validation needs: p + 2 for least squares (p + 1 to fit, one to hold out), 3 with ridge.</summary>
    public static int MinimumRows(int features, double ridge) => ridge > 0 ? 3 : features + 2;

    /// <summary>Rows a fit needs: p + 1 for least squares, 2 with ridge (a standard deviation).</summary>
    public static int MinimumFitRows(int features, double ridge) => ridge > 0 ? 2 : features + 1;

    /// <summary>Held-out rows per random split: round(rows x share), at least 1 and at most rows − 1.</summary>
    public static int TestCount(int rows, double testShare)
    {
        if (!(testShare > 0 && testShare < 1)) throw new ArgumentException($"the test share must be between 0 and 1 (exclusive), not {I(testShare)}", nameof(testShare));
        return Math.Clamp((int)Math.Round(rows * testShare, MidpointRounding.AwayFromZero), 1, Math.Max(1, rows - 1));
    }

    /// <summary>Fits on every row.</summary>
    public static RegressionFit Fit(IReadOnlyList<double[]> x, IReadOnlyList<double> y, double ridge = 0, IReadOnlyList<string>? names = null)
    {
        var p = Validate(x, y, ridge, names);
        RequireRows(x.Count, MinimumFitRows(p, ridge), p, ridge, "to fit");
        return FitRows(x, y, Enumerable.Range(0, x.Count).ToArray(), ridge, p);
    }

    /// <summary>The fit on every row, the seeded random splits (the paper: 20 of 25 train, 5 test, 1000 times) and leave-one-out.</summary>
    public static RegressionReport Evaluate(
        IReadOnlyList<double[]> x, IReadOnlyList<double> y, double ridge = 0, int repeats = 1000, double testShare = 0.2, int seed = 0, IReadOnlyList<string>? names = null) =>
        new(Fit(x, y, ridge, names), RandomSplits(x, y, ridge, repeats, testShare, seed, names), LeaveOneOut(x, y, ridge, names));

    /// <summary>Leave-one-out: each row predicted by the fit on all the others.</summary>
    public static CrossValidation LeaveOneOut(IReadOnlyList<double[]> x, IReadOnlyList<double> y, double ridge = 0, IReadOnlyList<string>? names = null)
    {
        var p = Validate(x, y, ridge, names);
        var n = x.Count;
        RequireRows(n, MinimumRows(p, ridge), p, ridge, "for leave-one-out");
        var splits = Enumerable.Range(0, n).Select(i => new[] { i }).ToList();
        return Score(LeaveOneOutProtocol, x, y, ridge, p, splits);
    }

    /// <summary>Repeated random splits: <paramref name="repeats"/> times, hold out <see cref="TestCount"/> rows drawn with <paramref name="seed"/>.</summary>
    public static CrossValidation RandomSplits(
        IReadOnlyList<double[]> x, IReadOnlyList<double> y, double ridge, int repeats, double testShare, int seed, IReadOnlyList<string>? names = null)
    {
        var p = Validate(x, y, ridge, names);
        var n = x.Count;
        RequireRows(n, MinimumRows(p, ridge), p, ridge, "for cross-validation");
        var test = TestCount(n, testShare);
        var minimum = MinimumFitRows(p, ridge);
        if (n - test < minimum)
            throw new ArgumentException(
                $"a test share of {I(testShare)} holds out {test} of {n} rows, leaving {n - test} to fit, but {Describe(p, ridge)} needs {minimum}: lower the test share", nameof(testShare));
        return Score(RandomSplitsProtocol, x, y, ridge, p, SplitTestRows(n, testShare, repeats, seed));
    }

    /// <summary>
    /// The held-out rows of each random split: a partial Fisher–Yates shuffle per repeat from one
    /// <c>new Random(seed)</c>, so the same seed gives the same splits.
    /// </summary>
    public static IReadOnlyList<int[]> SplitTestRows(int rows, double testShare, int repeats, int seed)
    {
        if (repeats < 1) throw new ArgumentException($"the number of random splits must be at least 1, not {repeats}", nameof(repeats));
        if (rows < 2) throw new ArgumentException($"splitting needs at least 2 rows, not {rows}", nameof(rows));
        var test = TestCount(rows, testShare);
        var random = new Random(seed);
        var order = Enumerable.Range(0, rows).ToArray();
        var splits = new List<int[]>(repeats);
        for (var r = 0; r < repeats; r++)
        {
            for (var i = 0; i < test; i++)
            {
                var j = random.Next(i, rows);
                (order[i], order[j]) = (order[j], order[i]);
            }
            splits.Add(order[..test]);
        }
        return splits;
    }

    private static CrossValidation Score(string protocol, IReadOnlyList<double[]> x, IReadOnlyList<double> y, double ridge, int p, IReadOnlyList<int[]> splits)
    {
        var n = x.Count;
        double sse = 0, sae = 0, baseline = 0;
        var count = 0;
        var sums = new double[n];
        var held = new int[n];
        var inTest = new bool[n];
        foreach (var test in splits)
        {
            Array.Clear(inTest);
            foreach (var i in test) inTest[i] = true;
            var train = Enumerable.Range(0, n).Where(i => !inTest[i]).ToArray();
            var fit = FitRows(x, y, train, ridge, p);
            var trainMean = train.Average(i => y[i]);
            foreach (var i in test)
            {
                var predicted = fit.Predict(x[i]);
                var error = y[i] - predicted;
                sse += error * error;
                sae += Math.Abs(error);
                baseline += (y[i] - trainMean) * (y[i] - trainMean);
                sums[i] += predicted;
                held[i]++;
                count++;
            }
        }
        var predictions = sums.Select((s, i) => held[i] > 0 ? s / held[i] : double.NaN).ToArray();
        return new CrossValidation(protocol, splits.Count, splits[0].Length, Math.Sqrt(sse / count), sae / count,
            baseline > 0 ? 1 - sse / baseline : double.NaN, Math.Sqrt(baseline / count), predictions);
    }

    private static RegressionFit FitRows(IReadOnlyList<double[]> x, IReadOnlyList<double> y, int[] rows, double ridge, int p)
    {
        var n = rows.Length;
        var yMean = rows.Average(i => y[i]);
        var mean = new double[p];
        var scale = new double[p];
        for (var j = 0; j < p; j++)
        {
            mean[j] = rows.Average(i => x[i][j]);
            var m = mean[j];
            scale[j] = Math.Sqrt(rows.Sum(i => (x[i][j] - m) * (x[i][j] - m)) / n);
        }
        // Columns constant on these rows carry nothing: slope 0, left out of the system.
        var kept = Enumerable.Range(0, p).Where(j => scale[j] > 1e-12 * Math.Max(1, Math.Abs(mean[j]))).ToArray();
        var k = kept.Length;
        var z = new double[n, k];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < k; c++)
                z[r, c] = (x[rows[r]][kept[c]] - mean[kept[c]]) / scale[kept[c]];
        var a = new double[k, k];
        var b = new double[k];
        for (var c1 = 0; c1 < k; c1++)
        {
            for (var r = 0; r < n; r++) b[c1] += z[r, c1] * (y[rows[r]] - yMean);
            for (var c2 = 0; c2 <= c1; c2++)
            {
                double s = 0;
                for (var r = 0; r < n; r++) s += z[r, c1] * z[r, c2];
                a[c1, c2] = a[c2, c1] = s;
            }
            a[c1, c1] += ridge;
        }
        var beta = CholeskySolve(a, b, n);
        var coefficients = new double[p];
        var intercept = yMean;
        for (var c = 0; c < k; c++)
        {
            var j = kept[c];
            coefficients[j] = beta[c] / scale[j];
            intercept -= coefficients[j] * mean[j];
        }
        double sse = 0, sst = 0;
        var fit = new RegressionFit(intercept, coefficients, double.NaN, ridge, n);
        foreach (var i in rows)
        {
            var e = y[i] - fit.Predict(x[i]);
            sse += e * e;
            sst += (y[i] - yMean) * (y[i] - yMean);
        }
        return fit with { InSampleR2 = sst > 0 ? 1 - sse / sst : double.NaN };
    }

    /// <summary>Solves A β = b for symmetric positive definite A (standardised: its diagonal is about <paramref name="rows"/>).</summary>
    private static double[] CholeskySolve(double[,] a, double[] b, int rows)
    {
        var k = b.Length;
        var l = new double[k, k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var s = a[i, j];
                for (var m = 0; m < j; m++) s -= l[i, m] * l[j, m];
                if (i == j)
                {
                    if (s <= 1e-10 * rows)
                        throw new ArgumentException(
                            "the features are collinear on these rows (one is a linear combination of the others), so least squares has no unique solution: drop a feature or add a ridge penalty (λ > 0)");
                    l[i, i] = Math.Sqrt(s);
                }
                else l[i, j] = s / l[j, j];
            }
        }
        var w = new double[k];
        for (var i = 0; i < k; i++)
        {
            var s = b[i];
            for (var m = 0; m < i; m++) s -= l[i, m] * w[m];
            w[i] = s / l[i, i];
        }
        var beta = new double[k];
        for (var i = k - 1; i >= 0; i--)
        {
            var s = w[i];
            for (var m = i + 1; m < k; m++) s -= l[m, i] * beta[m];
            beta[i] = s / l[i, i];
        }
        return beta;
    }

    /// <summary>Checks shapes and values; returns the number of features.</summary>
    private static int Validate(IReadOnlyList<double[]> x, IReadOnlyList<double> y, double ridge, IReadOnlyList<string>? names)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (!(double.IsFinite(ridge) && ridge >= 0)) throw new ArgumentException($"the ridge penalty λ must be finite and ≥ 0, not {I(ridge)}", nameof(ridge));
        if (x.Count != y.Count) throw new ArgumentException($"the features have {x.Count} rows but the target has {y.Count} values: one target per row", nameof(y));
        if (x.Count == 0) throw new ArgumentException("no rows to regress on", nameof(x));
        var p = x[0]?.Length ?? 0;
        if (p == 0) throw new ArgumentException("the rows have no features: give at least one", nameof(x));
        if (names is not null && names.Count != p) throw new ArgumentException($"{names.Count} feature names for {p} features", nameof(names));
        string Name(int j) => names is null ? $"feature {j}" : $"feature {j} ({names[j]})";
        for (var i = 0; i < x.Count; i++)
        {
            if (x[i] is null || x[i].Length != p) throw new ArgumentException($"row {i} has {x[i]?.Length ?? 0} features but row 0 has {p}: every row needs the same features", nameof(x));
            for (var j = 0; j < p; j++)
                if (!double.IsFinite(x[i][j])) throw new ArgumentException($"{Name(j)} of row {i} is {I(x[i][j])}: every value must be finite", nameof(x));
            if (!double.IsFinite(y[i])) throw new ArgumentException($"the target of row {i} is {I(y[i])}: every value must be finite", nameof(y));
        }
        if (x.Count > 1)
        {
            var constant = Enumerable.Range(0, p).Where(j => x.All(row => row[j] == x[0][j])).ToList();
            if (constant.Count > 0)
                throw new ArgumentException(
                    $"{string.Join(", ", constant.Select(Name))} {(constant.Count == 1 ? "is" : "are")} constant over the rows ({string.Join(", ", constant.Select(j => I(x[0][j])))}), so {(constant.Count == 1 ? "it carries" : "they carry")} nothing to regress on: drop {(constant.Count == 1 ? "it" : "them")}", nameof(x));
            if (y.All(v => v == y[0])) throw new ArgumentException($"the target is constant over the rows ({I(y[0])}): there is nothing to predict", nameof(y));
        }
        return p;
    }

    private static void RequireRows(int rows, int needed, int p, double ridge, string purpose)
    {
        if (rows < needed)
            throw new ArgumentException(
                $"{rows} row(s), but {Describe(p, ridge)} needs at least {needed} {purpose}" +
                (ridge > 0 ? ": add rows (networks)" : $": add rows (networks), drop features, or use a ridge penalty (λ > 0 needs {(purpose == "to fit" ? 2 : 3)})"));
    }

    private static string I(double v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Describe(int p, double ridge) =>
        ridge > 0 ? $"ridge regression (λ = {I(ridge)})" : $"least squares with {p} feature{(p == 1 ? "" : "s")} and an intercept";
}
