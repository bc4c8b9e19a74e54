using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Applies a <see cref="Reduction"/> batch after batch. Holds one projection matrix per tap for
/// the whole extraction (made once, from the seed and the tap name, so the same tap of every
/// checkpoint is projected the same way and probes can warm-start across checkpoints).
/// </summary>
internal sealed class ActivationReducer(Reduction reduction, Device device) : IDisposable
{
    private readonly Dictionary<string, Tensor> projections = new(StringComparer.Ordinal);

    /// <summary>The reduced features of <paramref name="activation"/> ([batch, ...]) as [batch, features].</summary>
    public Tensor Reduce(string tap, Tensor activation)
    {
        var batch = activation.shape[0];
        var flat = activation.reshape(batch, -1);
        switch (reduction.Kind)
        {
            case Reduction.SpatialMean when activation.dim() >= 3:
                return activation.flatten(2).mean([2L]);
            case Reduction.RandomProjection when flat.shape[1] > reduction.MaxDims:
                return flat.matmul(Projection(tap, flat.shape[1]));
            default:
                return flat;
        }
    }

    private Tensor Projection(string tap, long inputSize)
    {
        if (projections.TryGetValue(tap, out var existing)) return existing;
        using var generator = new Generator((ulong)StableSeed(reduction.Seed, tap), device);
        // Entries N(0, 1/k): squared norms are preserved in expectation (Johnson–Lindenstrauss).
        var matrix = torch.randn([inputSize, reduction.MaxDims], generator: generator, device: device)
            .div_(Math.Sqrt(reduction.MaxDims));
        projections[tap] = matrix.DetachFromDisposeScope();
        return matrix;
    }

    /// <summary>FNV-1a of the tap name mixed with the seed: independent of process and platform.</summary>
    internal static long StableSeed(long seed, string tap)
    {
        var hash = 14695981039346656037UL ^ unchecked((ulong)seed);
        foreach (var c in tap)
        {
            hash ^= c;
            hash = unchecked(hash * 1099511628211UL);
        }
        return (long)(hash & long.MaxValue);
    }

    public void Dispose()
    {
        foreach (var matrix in projections.Values) matrix.Dispose();
        projections.Clear();
    }
}
