using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// The Gibbs kernel exp(−C/ε) applied in the log domain, the one operation Sinkhorn repeats:
/// for potentials x [B, K], the log-sums s_j = logsumexp_i(x_i − C_ij/ε) over the rows of C
/// (<see cref="OverRows"/>) or over its columns (<see cref="OverColumns"/>). A dense cost costs
/// O(K²) per pair. A cost that is c off the diagonal and 0 on it (the 0/1 cost, scaled) needs only
/// O(K) (see <see cref="UniformOffDiagonal"/>), so it gets its own implementation.
/// </summary>
internal abstract class LogKernel : IDisposable
{
    /// <summary>logsumexp_i(x_i − C_ij/ε) for every j: [B, K] → [B, K].</summary>
    public abstract Tensor OverRows(Tensor x);

    /// <summary>logsumexp_j(x_j − C_ij/ε) for every i: [B, K] → [B, K].</summary>
    public abstract Tensor OverColumns(Tensor x);

    /// <summary>
    /// &lt;T, C&gt; per pair for the plans T_ij = exp(u_i + v_j − C_ij/ε) of potentials u, v [B, K],
    /// with no intermediate larger than <paramref name="maxIntermediateBytes"/> where it can be helped.
    /// </summary>
    public abstract Tensor TransportCosts(Tensor u, Tensor v, long maxIntermediateBytes);

    /// <summary>The size of the largest intermediate one pair needs in an update: what bounds the chunk of pairs iterated together.</summary>
    public abstract long IntermediateBytesPerPair(long k);

    public abstract void Dispose();

    /// <summary>The kernel of a float64 cost [K, K] (on the device it will be used on).</summary>
    public static LogKernel For(Tensor cost, double epsilon)
    {
        var k = cost.shape[0];
        var values = cost.cpu().data<double>().ToArray();
        var offDiagonal = k > 1 ? values[1] : 0;
        var uniform = offDiagonal > 0;
        for (var i = 0; i < k && uniform; i++)
            for (var j = 0; j < k && uniform; j++)
                uniform = values[i * k + j] == (i == j ? 0 : offDiagonal);
        return uniform ? new UniformOffDiagonal(offDiagonal, offDiagonal / epsilon) : new Dense(cost, epsilon);
    }

    /// <summary>Any cost: broadcasts x against −C/ε into [B, K, K] and reduces.</summary>
    private sealed class Dense(Tensor cost, double epsilon) : LogKernel
    {
        private readonly Tensor scaledCost = (cost / epsilon).DetachFromDisposeScope();
        private readonly Tensor cost = cost.clone().DetachFromDisposeScope();

        public override Tensor OverRows(Tensor x) => (x.unsqueeze(2) - scaledCost).logsumexp(1);

        public override Tensor OverColumns(Tensor x) => (x.unsqueeze(1) - scaledCost).logsumexp(2);

        public override long IntermediateBytesPerPair(long k) => sizeof(double) * k * k;

        /// <summary>Builds the plans a slice of pairs at a time.</summary>
        public override Tensor TransportCosts(Tensor u, Tensor v, long maxIntermediateBytes)
        {
            var (pairs, k) = (u.shape[0], u.shape[1]);
            var slice = Math.Clamp(maxIntermediateBytes / IntermediateBytesPerPair(k), 1, Math.Max(1, pairs));
            var costs = torch.empty(pairs, dtype: ScalarType.Float64, device: u.device);
            for (long start = 0; start < pairs; start += slice)
            {
                using var scope = torch.NewDisposeScope();
                var count = Math.Min(slice, pairs - start);
                var plan = (u.narrow(0, start, count).unsqueeze(2) + v.narrow(0, start, count).unsqueeze(1) - scaledCost).exp();
                costs.narrow(0, start, count).copy_((plan * cost).sum([1, 2]));
            }
            return costs;
        }

        public override void Dispose()
        {
            scaledCost.Dispose();
            cost.Dispose();
        }
    }

    /// <summary>
    /// C = c·(11ᵀ − I), with δ = e^{−c/ε}: Σ_i e^{x_i − C_ij/ε} = e^{x_j} + δ·Σ_{i≠j} e^{x_i}
    /// = (1 − δ)·e^{x_j} + δ·Σ_i e^{x_i}, a sum of two positive terms (no cancellation), so
    /// s_j = logaddexp(x_j + log(1 − δ), −c/ε + logsumexp(x)). Symmetric: both directions are the same.
    /// </summary>
    private sealed class UniformOffDiagonal(double offDiagonal, double scaledCost) : LogKernel
    {
        private readonly double logKeep = Math.Log(-double.ExpM1(-scaledCost)); // log(1 − δ), accurate for δ near 1 too

        public override Tensor OverRows(Tensor x) => torch.logaddexp(x + logKeep, x.logsumexp(1, keepdim: true) - scaledCost);

        public override Tensor OverColumns(Tensor x) => OverRows(x);

        public override long IntermediateBytesPerPair(long k) => sizeof(double) * k;

        /// <summary>
        /// c·Σ_i Σ_{j≠i} T_ij = c·Σ_i e^{u_i − c/ε}·(Σ_j e^{v_j} − e^{v_i}), shifted by max v. The subtraction
        /// removes one of the sum's own terms, so it is never negative, and its rounding error, relative to
        /// δ·e^{u_i}·Σ_j e^{v_j} ≤ the row's mass, is negligible.
        /// </summary>
        public override Tensor TransportCosts(Tensor u, Tensor v, long maxIntermediateBytes)
        {
            var top = v.max(1, keepdim: true).values;
            var shifted = (v - top).exp();
            var others = shifted.sum(1, keepdim: true) - shifted;
            return offDiagonal * ((u - scaledCost + top).exp() * others).sum(1);
        }

        public override void Dispose()
        {
        }
    }
}
