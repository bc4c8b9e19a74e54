using ProbeGrid.Analysis.Activations;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>
/// An independent reference for the tests: binary L2 logistic regression, min mean BCE + (λ/2)·‖w‖² (b free), on features
/// standardised here in double, solved by plain Newton steps with a dense Hessian and Gaussian elimination.
/// </summary>
internal static class BinaryLogisticNewton
{
    /// <summary>The optimal (w, b) and objective for the 0/1 <paramref name="labels"/>, on features standardised with their own mean and population std.</summary>
    public static (double[] W, double B, double Objective) Solve(FeatureMatrix features, double[] labels, double l2)
    {
        var x = Standardised(features);
        var (n, d) = (features.Rows, features.Columns);
        var theta = new double[d + 1]; // w, then b
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var gradient = new double[d + 1];
            var hessian = new double[d + 1, d + 1];
            for (var r = 0; r < n; r++)
            {
                var p = Sigmoid(Logit(x[r], theta));
                for (var i = 0; i <= d; i++)
                {
                    gradient[i] += (p - labels[r]) * x[r][i] / n;
                    for (var j = 0; j <= d; j++) hessian[i, j] += p * (1 - p) * x[r][i] * x[r][j] / n;
                }
            }
            for (var i = 0; i < d; i++)
            {
                gradient[i] += l2 * theta[i];
                hessian[i, i] += l2;
            }
            var step = SolveLinear(hessian, gradient);
            for (var i = 0; i <= d; i++) theta[i] -= step[i];
            if (gradient.Max(Math.Abs) < 1e-14) break;
        }
        var objective = Enumerable.Range(0, n).Average(r => Bce(Logit(x[r], theta), labels[r])) + l2 / 2 * theta[..d].Sum(w => w * w);
        return (theta[..d], theta[d], objective);
    }

    /// <summary>Rows of (h − mean) / std with a trailing 1.</summary>
    public static double[][] Standardised(FeatureMatrix features)
    {
        var (n, d) = (features.Rows, features.Columns);
        var mean = Enumerable.Range(0, d).Select(j => Enumerable.Range(0, n).Average(r => (double)features.Row(r)[j])).ToArray();
        var std = Enumerable.Range(0, d).Select(j => Math.Sqrt(Enumerable.Range(0, n).Average(r => Math.Pow(features.Row(r)[j] - mean[j], 2)))).ToArray();
        return Enumerable.Range(0, n).Select(r => Enumerable.Range(0, d).Select(j => (features.Row(r)[j] - mean[j]) / std[j]).Append(1.0).ToArray()).ToArray();
    }

    private static double Logit(double[] row, double[] theta) => row.Zip(theta, (a, b) => a * b).Sum();

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static double Bce(double z, double y) => Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))) - y * z;

    /// <summary>A·x = b by Gaussian elimination with partial pivoting.</summary>
    private static double[] SolveLinear(double[,] a, double[] b)
    {
        var size = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (var col = 0; col < size; col++)
        {
            var pivot = Enumerable.Range(col, size - col).MaxBy(r => Math.Abs(m[r, col]));
            for (var j = 0; j < size; j++) (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            (v[col], v[pivot]) = (v[pivot], v[col]);
            for (var r = col + 1; r < size; r++)
            {
                var factor = m[r, col] / m[col, col];
                for (var j = col; j < size; j++) m[r, j] -= factor * m[col, j];
                v[r] -= factor * v[col];
            }
        }
        var x = new double[size];
        for (var r = size - 1; r >= 0; r--)
            x[r] = (v[r] - Enumerable.Range(r + 1, size - r - 1).Sum(j => m[r, j] * x[j])) / m[r, r];
        return x;
    }
}
