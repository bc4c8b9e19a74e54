using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Averages each channel of a [C,H,W] map over a grid of at most <c>grid</c> x <c>grid</c> cells
/// (adaptive average pooling, cells of torch's adaptive_avg_pool2d: they overlap by a row or
/// column when the side is not a multiple of the grid). A side already no larger than the grid
/// is kept, never upsampled; other shapes (vectors, sequences, volumes) are kept whole.
/// </summary>
public static class SpatialGridPooling
{
    /// <summary>The number of values a sample of shape <paramref name="shape"/> keeps.</summary>
    public static long PooledSize(long[] shape, int grid)
    {
        if (shape.Length != 3) return shape.Aggregate(1L, (a, b) => a * b);
        return shape[0] * Math.Min(shape[1], grid) * Math.Min(shape[2], grid);
    }

    /// <summary><paramref name="activation"/> ([batch, ...]) pooled, as [batch, features].</summary>
    public static Tensor Pool(Tensor activation, int grid)
    {
        var batch = activation.shape[0];
        if (activation.dim() != 4) return activation.reshape(batch, -1);
        var (height, width) = (activation.shape[2], activation.shape[3]);
        if (height <= grid && width <= grid) return activation.reshape(batch, -1);
        return nn.functional.adaptive_avg_pool2d(activation, [Math.Min(height, grid), Math.Min(width, grid)]).reshape(batch, -1);
    }
}
