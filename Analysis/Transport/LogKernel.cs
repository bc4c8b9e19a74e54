using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// The Gibbs kernel exp(−C/ε) applied in the log domain, the one operation Sinkhorn repeats:
/// for potentials x [B, K], the log-sums s_j = logsumexp_i(x_i − C_ij/ε) over the rows of C
/// (<see cref="OverRows"/>) or over its columns (<see cref="OverColumns"/>): O(K²) per pair. (A cost
/// that is c off the diagonal and 0 on it needs no iterations: <see cref="UniformCostTransport"/>.)
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
        return new Dense(cost, epsilon);
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
}
