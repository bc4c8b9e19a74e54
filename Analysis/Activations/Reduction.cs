namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// How a tapped activation becomes a feature vector before it is cached: kept whole
/// ("flatten"), averaged over its spatial dimensions ("spatial-mean"), or projected by a seeded
/// Gaussian matrix to at most <see cref="MaxDims"/> dimensions ("random-projection"; layers
/// already that small are kept whole, so the input and the logits are never distorted).
/// </summary>
public sealed record Reduction(string Kind, int MaxDims, long Seed)
{
    public const string Flatten = "flatten";
    public const string SpatialMean = "spatial-mean";
    public const string RandomProjection = "random-projection";

    public static IReadOnlyList<string> Kinds { get; } = [Flatten, SpatialMean, RandomProjection];

    /// <exception cref="ArgumentException">naming the bad kind or size and the accepted values.</exception>
    public static Reduction Parse(string kind, int maxDims, long seed)
    {
        if (!Kinds.Contains(kind))
            throw new ArgumentException($"kind '{kind}' is not a reduction: use {string.Join(", ", Kinds)}");
        if (kind == RandomProjection && maxDims < 1)
            throw new ArgumentException($"maxDims {maxDims} must be at least 1 for a random projection");
        return new Reduction(kind, kind == RandomProjection ? maxDims : 0, kind == RandomProjection ? seed : 0);
    }

    /// <summary>The number of features a tap of per-sample shape <paramref name="shape"/> reduces to.</summary>
    public int OutputSize(long[] shape)
    {
        var whole = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        return Kind switch
        {
            SpatialMean => shape.Length >= 2 ? (int)shape[0] : whole,
            RandomProjection => Math.Min(whole, MaxDims),
            _ => whole,
        };
    }

    /// <summary>A stable text form, part of the activation cache key.</summary>
    public override string ToString() => Kind == RandomProjection ? $"{Kind}({MaxDims},seed={Seed})" : Kind;
}
