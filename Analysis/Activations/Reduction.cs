namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// How a tapped activation becomes a feature vector before it is cached: kept whole
/// ("flatten"), averaged over its spatial dimensions ("spatial-mean"), or projected by a seeded
/// Gaussian matrix to at most <see cref="MaxDims"/> dimensions ("random-projection"; layers
/// already that small are kept whole, so the input and the logits are never distorted).
/// Two cheaper projections keep inner products the same way at the cost of about one pass over
/// the activation: "sparse-projection", a count sketch (<see cref="CountSketch"/>: inner products
/// of the whole activation, unbiased, with about the variance of the Gaussian projection), and
/// "pooled-projection", which first averages each channel of a [C,H,W] map over a grid of at most
/// <see cref="PooledGrid"/>x<see cref="PooledGrid"/> cells (<see cref="SpatialGridPooling"/>) and
/// then count-sketches what is wider than the target: inner products of those pooled maps, so the
/// coarse position of a feature is kept and its fine position is not.
/// </summary>
public sealed record Reduction(string Kind, int MaxDims, long Seed)
{
    public const string Flatten = "flatten";
    public const string SpatialMean = "spatial-mean";
    public const string RandomProjection = "random-projection";
    public const string SparseProjection = "sparse-projection";
    public const string PooledProjection = "pooled-projection";

    /// <summary>Cells per side of the spatial grid "pooled-projection" averages a map to.</summary>
    public const int PooledGrid = 4;

    public static IReadOnlyList<string> Kinds { get; } = [Flatten, SpatialMean, RandomProjection, SparseProjection, PooledProjection];

    /// <summary>Whether the kind projects to <see cref="MaxDims"/> from a seed.</summary>
    public static bool Projects(string kind) => kind is RandomProjection or SparseProjection or PooledProjection;

    /// <exception cref="ArgumentException">naming the bad kind or size and the accepted values.</exception>
    public static Reduction Parse(string kind, int maxDims, long seed)
    {
        if (!Kinds.Contains(kind))
            throw new ArgumentException($"kind '{kind}' is not a reduction: use {string.Join(", ", Kinds)}");
        if (Projects(kind) && maxDims < 1)
            throw new ArgumentException($"maxDims {maxDims} must be at least 1 for a {kind}");
        return Projects(kind) ? new Reduction(kind, maxDims, seed) : new Reduction(kind, 0, 0);
    }

    /// <summary>The number of features a tap of per-sample shape <paramref name="shape"/> reduces to.</summary>
    public int OutputSize(long[] shape)
    {
        var whole = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        return Kind switch
        {
            SpatialMean => shape.Length >= 2 ? (int)shape[0] : whole,
            RandomProjection or SparseProjection => Math.Min(whole, MaxDims),
            PooledProjection => Math.Min(checked((int)SpatialGridPooling.PooledSize(shape, PooledGrid)), MaxDims),
            _ => whole,
        };
    }

    /// <summary>A stable text form, part of the activation cache key.</summary>
    public override string ToString() => Kind switch
    {
        RandomProjection or SparseProjection => $"{Kind}({MaxDims},seed={Seed})",
        PooledProjection => $"{Kind}({PooledGrid}x{PooledGrid},{MaxDims},seed={Seed})",
        _ => Kind,
    };
}
