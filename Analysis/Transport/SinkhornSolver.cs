using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// Entropic optimal transport (Cuturi 2013) between many pairs of distributions over K labels
/// that share one cost matrix, solved together: the Sinkhorn updates act on [pairs, K] potentials
/// in the log domain (f/ε and g/ε with log-sum-exp), so ε = 0.01 on a 0/1 cost, where e^(−C/ε)
/// is e^(−100), neither underflows nor divides by zero. Zero masses are exact: their potentials
/// are −∞ and their rows and columns of the plan are 0. Float64 throughout.
/// A cost that is c off the diagonal and 0 on it (the 0/1 cost, the Wasserstein paper's) skips the
/// iterations: <see cref="UniformCostTransport"/> computes their fixed point directly, because there
/// Sinkhorn takes about 1/|a_i − b_i| iterations when a label's two masses nearly agree.
/// </summary>
public static class SinkhornSolver
{
    /// <summary>Pairs per chunk so that the kernel's largest temporary stays near 32 MB.</summary>
    private const long ChunkBytes = 32L << 20;

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

        if (cost.UniformOffDiagonal() is { } offDiagonal) return SolveUniform(a, b, k, offDiagonal, options, ct, keepPlans);

        device ??= CPU;
        var pairs = a.Length / k;
        var costs = new double[pairs];
        var objectives = new double[pairs];
        var plans = keepPlans ? new double[(long)pairs * k * k] : null;
        int iterations = 0, unconverged = 0;
        double maxError = 0;
        using var c = torch.tensor(cost.Values, [k, k], ScalarType.Float64, device);
        using var kernel = LogKernel.For(c, options.Epsilon);
        var chunk = (int)Math.Clamp(ChunkBytes / kernel.IntermediateBytesPerPair(k), 1, int.MaxValue);
        for (var start = 0; start < pairs; start += chunk)
        {
            var count = Math.Min(chunk, pairs - start);
            var r = SolveChunk(a.AsSpan(start * k, count * k), b.AsSpan(start * k, count * k), count, k, c, kernel, options, keepPlans, ct);
            r.Costs.CopyTo(costs, start);
            r.Plans?.CopyTo(plans!, (long)start * k * k);
            r.Objectives.CopyTo(objectives, start);
            iterations = Math.Max(iterations, r.Iterations);
            unconverged += r.UnconvergedPairs;
            maxError = Math.Max(maxError, r.MaxMarginalError);
        }
        return new SinkhornResult(costs, objectives, iterations, unconverged, maxError) { Plans = plans };
    }

    private static SinkhornResult SolveUniform(double[] a, double[] b, int k, double offDiagonal, SinkhornOptions options, CancellationToken ct, bool keepPlans)
    {
        var pairs = a.Length / k;
        var (costs, objectives) = (new double[pairs], new double[pairs]);
        var plans = keepPlans ? new double[(long)pairs * k * k] : null;
        int steps = 0, unconverged = 0;
        double maxError = 0;
        for (var p = 0; p < pairs; p++)
        {
            if (p % 256 == 0) ct.ThrowIfCancellationRequested();
            var solution = UniformCostTransport.Solve(a.AsSpan(p * k, k), b.AsSpan(p * k, k), offDiagonal, options.Epsilon, options.Tolerance,
                plans is null ? Span<double>.Empty : plans.AsSpan(p * k * k, k * k));
            (costs[p], objectives[p]) = (solution.Cost, solution.Objective);
            steps = Math.Max(steps, solution.Steps);
            maxError = Math.Max(maxError, solution.MarginalError);
            if (!solution.Converged) unconverged++;
        }
        return new SinkhornResult(costs, objectives, steps, unconverged, maxError) { Plans = plans };
    }

    private static SinkhornResult SolveChunk(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int pairs, int k, Tensor cost, LogKernel kernel, SinkhornOptions options, bool keepPlans, CancellationToken ct)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var device = cost.device;
        var logA = torch.tensor(a.ToArray(), [pairs, k], ScalarType.Float64, device).log();
        var logB = torch.tensor(b.ToArray(), [pairs, k], ScalarType.Float64, device).log();
        var u = torch.zeros_like(logA); // f/ε
        var v = torch.zeros_like(logB); // g/ε

        // Pairs converge at very different speeds (most in tens of iterations, a few multi-label
        // ones in thousands), so each check drops the converged pairs from the working set.
        var iterations = 0;
        var error = torch.full([pairs], double.PositiveInfinity, ScalarType.Float64, device);
        var active = torch.arange(pairs, dtype: ScalarType.Int64, device: device);
        Tensor uA = u.clone(), vA = v.clone(), logAA = logA.clone(), logBA = logB.clone();
        while (iterations < options.MaxIterations && active.shape[0] > 0)
        {
            ct.ThrowIfCancellationRequested();
            using (var step = torch.NewDisposeScope())
            {
                var newU = logAA - kernel.OverColumns(vA);
                var newV = logBA - kernel.OverRows(newU);
                uA.Dispose();
                vA.Dispose();
                uA = newU.MoveToOuterDisposeScope();
                vA = newV.MoveToOuterDisposeScope();
            }
            iterations++;
            if (iterations % options.CheckEvery != 0 && iterations != options.MaxIterations) continue;

            using var activeError = RowMarginalError(uA, vA, kernel, logAA);
            error.index_copy_(0, active, activeError);
            u.index_copy_(0, active, uA);
            v.index_copy_(0, active, vA);
            using var keep = activeError.gt(options.Tolerance).nonzero().squeeze(1);
            if (keep.shape[0] == active.shape[0]) continue;
            Tensor Keep(Tensor t)
            {
                var kept = t.index_select(0, keep);
                t.Dispose();
                return kept;
            }
            (active, uA, vA, logAA, logBA) = (Keep(active), Keep(uA), Keep(vA), Keep(logAA), Keep(logBA));
        }

        var transportCost = kernel.TransportCosts(u, v, ChunkBytes);
        // At T_ij = exp(u_i + v_j − C_ij/ε): <T, C> − ε·H(T) = ε·Σ_ij T_ij (u_i + v_j − 1) = ε·(<r, u> + <c, v> − Σ r)
        // with r, c the plan's own marginals; entries with no mass (u or v = −∞) contribute nothing.
        var rows = u.add(kernel.OverColumns(v)).exp();
        var columns = v.add(kernel.OverRows(u)).exp();
        var objective = (Weighted(rows, u) + Weighted(columns, v) - rows.sum(1)) * options.Epsilon;
        var unconverged = (int)error.gt(options.Tolerance).sum().item<long>();
        return new SinkhornResult(
            transportCost.cpu().data<double>().ToArray(),
            objective.cpu().data<double>().ToArray(),
            iterations, unconverged, error.max().item<double>())
        {
            Plans = keepPlans ? Plans(u, v, cost, options.Epsilon) : null,
        };
    }

    /// <summary>Σ_i mass_i · potential_i per pair, 0·(−∞) taken as 0.</summary>
    private static Tensor Weighted(Tensor mass, Tensor potential) =>
        torch.where(mass.gt(0), mass * potential, torch.zeros_like(mass)).sum(1);

    /// <summary>The dense plans exp(u_i + v_j − C_ij/ε), row-major [pairs, K, K].</summary>
    private static double[] Plans(Tensor u, Tensor v, Tensor cost, double epsilon)
    {
        using var scope = torch.NewDisposeScope();
        return (u.unsqueeze(2) + v.unsqueeze(1) - cost.div(epsilon).unsqueeze(0)).exp().cpu().data<double>().ToArray();
    }

    /// <summary>Per pair, Σ_i |Σ_j T_ij − a_i|: after a g-update the columns are exact, so the rows measure convergence.</summary>
    private static Tensor RowMarginalError(Tensor u, Tensor v, LogKernel kernel, Tensor logA)
    {
        using var scope = torch.NewDisposeScope();
        var rows = u.add(kernel.OverColumns(v)).exp();
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
