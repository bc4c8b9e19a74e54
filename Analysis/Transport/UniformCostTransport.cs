namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// The entropic optimum that Sinkhorn iterates towards, computed directly for a cost that is c off the
/// diagonal and 0 on it (the 0/1 cost, scaled). Sinkhorn needs about 1/|a_i − b_i| iterations when a
/// label's predicted mass nearly equals its target mass (18,000 for a surplus of 1e-4, over 400,000 for
/// 1.7e-5 at ε = 0.01), and ε-scaling does not shorten that tail; this solution needs none.
/// <para>
/// With the kernel K = (1 − δ)I + δ11ᵀ, δ = e^{−c/ε}, and the scalings x, y of T = diag(x) K diag(y),
/// write q_i = (1 − δ)x_i·y_i, r_i = a_i − q_i (row i's mass off the diagonal) and s_i = b_i − q_i.
/// The marginals then say r_i·s_i = μ·q_i for one scalar μ shared by all labels, so each label is a
/// quadratic in μ, and μ = ρ·Σr_i with ρ = δ/(1 − δ) is one monotone equation, solved by safeguarded
/// Newton in t = Σr_i (the mass moved off the diagonal, in log space so that e^{−c/ε} never underflows).
/// The plan is T_ii = q_i/(1 − δ), T_ij = r_i·s_j/t (i ≠ j).
/// </para>
/// </summary>
internal static class UniformCostTransport
{
    /// <summary>Newton steps at most; bisection safeguards them, so 200 is far more than double precision needs.</summary>
    private const int MaxSteps = 200;

    /// <summary>One pair's answer: what <see cref="SinkhornResult"/> reports per pair.</summary>
    public readonly record struct Solution(double Cost, double Objective, int Steps, double MarginalError, bool Converged);

    /// <param name="offDiagonal">c, the cost of moving mass between two different labels.</param>
    /// <param name="plan">When not empty, receives T (row-major [K, K]).</param>
    public static Solution Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double offDiagonal, double epsilon, double tolerance, Span<double> plan)
    {
        var k = a.Length;
        var scaled = offDiagonal / epsilon;
        var logKeep = Math.Log(-double.ExpM1(-scaled)); // log(1 − δ), accurate for δ near 1 too
        var logRho = -scaled - logKeep;
        Span<double> logR = new double[k], logS = new double[k], q = new double[k];

        // H(λ) = log Σr(ρ·e^λ) − λ falls strictly from H ≥ 0 at λ = log TV to H ≤ 0 at λ = 0.
        double totalVariation = 0, rootSum = 0;
        for (var i = 0; i < k; i++)
        {
            totalVariation += Math.Max(a[i] - b[i], 0);
            rootSum += Math.Sqrt(Math.Min(a[i], b[i]));
        }
        double lo = double.NegativeInfinity, hi = 0, lambda = 0;
        var (h, slope) = Evaluate(a, b, logRho, hi, logR, logS, q);
        var steps = 0;
        if (h < 0)
        {
            // Without a surplus anywhere (a = b) all that moves is √(μ·a_i) per label: t ≈ ρ·(Σ√a_i)².
            lambda = Math.Min(totalVariation > 0 ? Math.Log(totalVariation) : logRho + 2 * Math.Log(rootSum), -1e-3);
            for (var step = 1.0; Evaluate(a, b, logRho, lambda, logR, logS, q).H < 0; step *= 2) lambda -= step;
            lo = lambda;
            while (steps < MaxSteps)
            {
                steps++;
                (h, slope) = Evaluate(a, b, logRho, lambda, logR, logS, q);
                if (h == 0) break;
                if (h > 0) lo = lambda;
                else hi = lambda;
                var next = lambda - h / slope;
                if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
                var done = Math.Abs(next - lambda) <= 1e-15 * Math.Max(1, Math.Abs(lambda)) || hi - lo <= 1e-15 * Math.Max(1, Math.Abs(lo));
                lambda = next;
                if (done) break;
            }
            Evaluate(a, b, logRho, lambda, logR, logS, q); // r, s and q at the root, for the plan and its cost
        }

        var logT = lambda;
        var logMu = logRho + logT;
        var logSumR = LogSumExp(logR);
        double sumQ = 0, rowTerms = 0;
        for (var i = 0; i < k; i++)
        {
            sumQ += q[i];
            if (a[i] > 0) rowTerms += a[i] * logR[i];
            if (b[i] > 0) rowTerms += b[i] * logS[i];
        }
        // Off the diagonal T holds Σ_ij r_i·s_j/t − Σ_i r_i·s_i/t = S²/t − ρ·Q (r_i·s_i = μ·q_i, μ = ρ·t); t may underflow, so in logs.
        var cost = offDiagonal * (Math.Exp(2 * logSumR - logT) - Math.Exp(logRho) * sumQ);
        // <T, C> − ε·H(T) = ε·(<a, log x> + <b, log y> − Σ T), x_i ∝ r_i and y_j ∝ s_j, their product's scale δ·t.
        var objective = epsilon * (rowTerms - logMu - logKeep - 1);
        if (!plan.IsEmpty)
            for (var i = 0; i < k; i++)
                for (var j = 0; j < k; j++)
                    plan[i * k + j] = i == j ? q[i] / Math.Exp(logKeep) : Math.Exp(logR[i] + logS[j] - logT);
        // Row i sums to q_i + r_i·S/t: off by r_i·|S/t − 1|; the columns likewise.
        var error = Math.Exp(logSumR) * Math.Abs(double.ExpM1(logSumR - logT));
        return new Solution(cost, objective, steps, error, double.IsFinite(cost) && double.IsFinite(objective) && error <= tolerance);
    }

    /// <summary>
    /// Fills log r, log s and q for μ = ρ·e^λ; returns H(λ) = log Σr − λ and dH/dλ = Σ r_i·e_i/Σr − 1,
    /// where e_i = s_i/(r_i + s_i + μ) is how r_i scales with μ.
    /// </summary>
    private static (double H, double Slope) Evaluate(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double logRho, double lambda,
        Span<double> logR, Span<double> logS, Span<double> q)
    {
        var logMu = logRho + lambda;
        var mu = Math.Exp(logMu);
        double logSum = double.NegativeInfinity, logElastic = double.NegativeInfinity;
        for (var i = 0; i < a.Length; i++)
        {
            Label(a[i], b[i], logMu, mu, out logR[i], out logS[i], out q[i]);
            logSum = LogAddExp(logSum, logR[i]);
            if (double.IsFinite(logR[i]) && double.IsFinite(logS[i]))
                logElastic = LogAddExp(logElastic, logR[i] + logS[i] - LogAddExp(LogAddExp(logR[i], logS[i]), logMu));
        }
        return (logSum - lambda, Math.Exp(logElastic - logSum) - 1);
    }

    /// <summary>
    /// Label i's roots of (a − q)(b − q) = μ·q in [0, min(a, b)], each by the formula that does not cancel:
    /// r solves r² + (b − a + μ)·r − μ·a = 0, s the same with a and b swapped; R = √((a − b)² + 2μ(a + b) + μ²).
    /// </summary>
    private static void Label(double a, double b, double logMu, double mu, out double logR, out double logS, out double q)
    {
        if (a <= 0 || b <= 0)
        {
            (logR, logS, q) = (Math.Log(a), Math.Log(b), 0);
            return;
        }
        var difference = a - b;
        var logDiscriminant = LogAddExp(difference == 0 ? double.NegativeInfinity : 2 * Math.Log(Math.Abs(difference)), logMu + Math.Log(2 * (a + b) + mu));
        var root = Math.Exp(0.5 * logDiscriminant);
        logR = SmallRoot(a, -difference, logMu, mu, logDiscriminant, root);
        logS = SmallRoot(b, difference, logMu, mu, logDiscriminant, root);
        q = 2 * a * b / (a + b + mu + root);
    }

    /// <summary>log of the non-negative root of x² + (d + μ)·x − μ·m = 0.</summary>
    private static double SmallRoot(double m, double d, double logMu, double mu, double logDiscriminant, double root)
    {
        if (d + mu > 0 || d == 0)
        {
            var logShift = d == 0 ? logMu : Math.Log(d + mu);
            return Math.Log(2 * m) + logMu - LogAddExp(0.5 * logDiscriminant, logShift);
        }
        return Math.Log(0.5 * (root - d - mu));
    }

    private static double LogAddExp(double x, double y)
    {
        if (double.IsNegativeInfinity(x)) return y;
        if (double.IsNegativeInfinity(y)) return x;
        var top = Math.Max(x, y);
        return top + Math.Log(Math.Exp(x - top) + Math.Exp(y - top));
    }

    private static double LogSumExp(ReadOnlySpan<double> values)
    {
        var result = double.NegativeInfinity;
        foreach (var v in values) result = LogAddExp(result, v);
        return result;
    }
}
