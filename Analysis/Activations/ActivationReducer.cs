using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Applies a <see cref="Reduction"/> batch after batch. Holds one projection matrix (or count
/// sketch index) per tap for the whole extraction (made from the seed and the tap name, so the
/// same tap of every checkpoint is projected the same way and probes can warm-start across
/// checkpoints). Count sketches are also remembered across extractions (<see cref="CountSketch.For"/>).
/// </summary>
internal sealed class ActivationReducer(Reduction reduction, Device device) : IDisposable
{
    private readonly Dictionary<string, Tensor> projections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (CountSketch Sketch, Tensor Index)> sketches = new(StringComparer.Ordinal);

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
            case Reduction.SparseProjection:
                return Sketch(tap, flat);
            case Reduction.PooledProjection:
                return Sketch(tap, SpatialGridPooling.Pool(activation, Reduction.PooledGrid));
            default:
                return flat;
        }
    }

    /// <summary>Rows no wider than the target are kept whole, as a random projection keeps them.</summary>
    private Tensor Sketch(string tap, Tensor flat)
    {
        var width = checked((int)flat.shape[1]);
        if (width <= reduction.MaxDims) return flat;
        if (sketches.TryGetValue(tap, out var known) && known.Sketch.InputSize == width)
            return known.Sketch.Apply(flat, known.Index);
        if (known.Index is not null) known.Index.Dispose(); // the tap changed width: a new sketch
        var sketch = CountSketch.For(reduction.Seed, tap, width, reduction.MaxDims);
        var index = sketch.ScatterIndex(device).DetachFromDisposeScope();
        sketches[tap] = (sketch, index);
        return sketch.Apply(flat, index);
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
        foreach (var (_, index) in sketches.Values) index.Dispose();
        sketches.Clear();
    }
}
