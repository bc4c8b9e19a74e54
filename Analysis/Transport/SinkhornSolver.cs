using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// Entropic optimal transport (Cuturi 2013) between many pairs of distributions over K labels
/// that share one cost matrix, solved together: the Sinkhorn updates act on [pairs, K] potentials
/// in the log domain (f/ε and g/ε with log-sum-exp), so ε = 0.01 on a 0/1 cost, where e^(−C/ε)
/// is e^(−100), neither underflows nor divides by zero. Zero masses are exact: their potentials
/// are −∞ and their rows and columns of the plan are 0. Float64 throughout.
/// </summary>
public static class SinkhornSolver
{
    /// <summary>Pairs per chunk so that one [pairs, K, K] temporary stays near 32 MB.</summary>
    private const long ChunkElements = 4_000_000;

    /// <param name="a">Row-major [pairs, K] source distributions (non-negative, each summing to 1).</param>
    /// <param name="b">Row-major [pairs, K] target distributions.</param>
    /// <param name="cost">Row-major [K, K] cost matrix.</param>
    /// <exception cref="ArgumentException">A row is negative, not finite, or does not sum to 1; or shapes disagree.</exception>
    /// <param name="keepPlans">Also return the plans T* ([pairs, K, K], row-major): for checks and small batches.</param>
    public static SinkhornResult Solve(double[] a, double[] b, CostMatrix cost, SinkhornOptions options, Device? device = null, CancellationToken ct = default, bool keepPlans = false)
    {
        var k = cost.Size;
        var problems = options.Validate().ToList();
        if (a.Length != b.Length || a.Length % k != 0)
            problems.Add($"the distributions have {a.Length} and {b.Length} values; both must be whole rows of the cost matrix's {k} labels");
        if (problems.Count == 0)
        {
            CheckRows(a, k, "source", problems);
            CheckRows(b, k, "target", problems);
        }
        if (problems.Count > 0) throw new ArgumentException("Sinkhorn: " + string.Join("; ", problems));

        device ??= CPU;
        var pairs = a.Length / k;
        var costs = new double[pairs];
        var objectives = new double[pairs];
        var plans = keepPlans ? new double[(long)pairs * k * k] : null;
        var chunk = (int)Math.Max(1, ChunkElements / ((long)k * k));
        int iterations = 0, unconverged = 0;
        double maxError = 0;
        using var c = torch.tensor(cost.Values, [k, k], ScalarType.Float64, device);
        for (var start = 0; start < pairs; start += chunk)
        {
            var count = Math.Min(chunk, pairs - start);
            var r = SolveChunk(a.AsSpan(start * k, count * k), b.AsSpan(start * k, count * k), count, k, c, options, keepPlans, ct);
            r.Costs.CopyTo(costs, start);
            r.Plans?.CopyTo(plans!, (long)start * k * k);
            r.Objectives.CopyTo(objectives, start);
            iterations = Math.Max(iterations, r.Iterations);
            unconverged += r.UnconvergedPairs;
            maxError = Math.Max(maxError, r.MaxMarginalError);
        }
        return new SinkhornResult(costs, objectives, iterations, unconverged, maxError) { Plans = plans };
    }

    private static SinkhornResult SolveChunk(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int pairs, int k, Tensor cost, SinkhornOptions options, bool keepPlans, CancellationToken ct)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var device = cost.device;
        var logA = torch.tensor(a.ToArray(), [pairs, k], ScalarType.Float64, device).log();
        var logB = torch.tensor(b.ToArray(), [pairs, k], ScalarType.Float64, device).log();
        var kernel = cost.div(-options.Epsilon).unsqueeze(0); // log K = −C/ε, [1, K, K]
        var u = torch.zeros_like(logA); // f/ε
        var v = torch.zeros_like(logB); // g/ε

        var iterations = 0;
        Tensor error = torch.full([pairs], double.PositiveInfinity, ScalarType.Float64, device);
        while (iterations < options.MaxIterations)
        {
            ct.ThrowIfCancellationRequested();
            using (var step = torch.NewDisposeScope())
            {
                var newU = logA - kernel.add(v.unsqueeze(1)).logsumexp(2);
                var newV = logB - kernel.add(newU.unsqueeze(2)).logsumexp(1);
                u.Dispose(); v.Dispose();
                u = newU.MoveToOuterDisposeScope();
                v = newV.MoveToOuterDisposeScope();
            }
            iterations++;
            if (iterations % options.CheckEvery == 0 || iterations == options.MaxIterations)
            {
                error.Dispose();
                error = RowMarginalError(u, v, kernel, logA);
                if (error.max().item<double>() <= options.Tolerance) break;
            }
        }
        if (iterations % options.CheckEvery != 0 && iterations != options.MaxIterations)
        {
            error.Dispose();
            error = RowMarginalError(u, v, kernel, logA);
        }

        var logPlan = u.unsqueeze(2) + kernel + v.unsqueeze(1);
        var plan = logPlan.exp();
        var transportCost = plan.mul(cost.unsqueeze(0)).sum([1, 2]);
        // H(T) = −Σ T (log T − 1), with 0·log 0 = 0 where the plan is exactly 0.
        var entropy = torch.where(plan.gt(0), plan.mul(logPlan.sub(1)), torch.zeros_like(plan)).sum([1, 2]).neg();
        var objective = transportCost - options.Epsilon * entropy;
        var unconverged = (int)error.gt(options.Tolerance).sum().item<long>();
        return new SinkhornResult(
            transportCost.cpu().data<double>().ToArray(),
            objective.cpu().data<double>().ToArray(),
            iterations, unconverged, error.max().item<double>())
        {
            Plans = keepPlans ? plan.cpu().data<double>().ToArray() : null,
        };
    }

    /// <summary>Per pair, Σ_i |Σ_j T_ij − a_i|: after a g-update the columns are exact, so the rows measure convergence.</summary>
    private static Tensor RowMarginalError(Tensor u, Tensor v, Tensor kernel, Tensor logA)
    {
        using var scope = torch.NewDisposeScope();
        var rows = u.add(kernel.add(v.unsqueeze(1)).logsumexp(2)).exp();
        return rows.sub(logA.exp()).abs().sum(1).MoveToOuterDisposeScope();
    }

    private static void CheckRows(double[] rows, int k, string name, List<string> problems)
    {
        for (var r = 0; r < rows.Length / k; r++)
        {
            var row = rows.AsSpan(r * k, k);
            double sum = 0;
            var bad = false;
            foreach (var x in row)
            {
                if (!(x >= 0) || !double.IsFinite(x)) bad = true;
                sum += x;
            }
            if (bad || Math.Abs(sum - 1) > 1e-6)
            {
                problems.Add($"{name} row {r} is not a distribution ({(bad ? "a negative or non-finite entry" : $"sums to {sum:G6}")}): " +
                             "normalise each row to sum 1, and leave out rows with no mass (LabelDistributions does both)");
                return; // one example is enough to fix the caller
            }
        }
    }
}
