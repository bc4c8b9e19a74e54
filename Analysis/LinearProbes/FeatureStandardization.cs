using ProbeGrid.Analysis.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// Per-feature mean and scale of a training split (population std; a constant feature gets scale 1, so it
/// standardises to 0). Kept with an optimal probe's weights, which act on (h − Mean) / Scale.
/// </summary>
public sealed record FeatureStandardization(double[] Mean, double[] Scale)
{
    public int Dimensions => Mean.Length;

    /// <summary>The statistics of <paramref name="train"/>, computed in float64.</summary>
    public static FeatureStandardization Of(FeatureMatrix train)
    {
        var columns = train.Columns;
        var mean = new double[columns];
        var squares = new double[columns];
        for (var r = 0; r < train.Rows; r++)
        {
            var row = train.Row(r);
            for (var c = 0; c < columns; c++) mean[c] += row[c];
        }
        for (var c = 0; c < columns; c++) mean[c] /= Math.Max(train.Rows, 1);
        // Two passes: the deviations' squares, not E[x²] − mean², which cancels catastrophically for large means.
        for (var r = 0; r < train.Rows; r++)
        {
            var row = train.Row(r);
            for (var c = 0; c < columns; c++) squares[c] += (row[c] - mean[c]) * (row[c] - mean[c]);
        }
        var scale = squares.Select(s => Math.Sqrt(s / Math.Max(train.Rows, 1))).Select(s => s > 0 ? s : 1.0).ToArray();
        return new FeatureStandardization(mean, scale);
    }

    /// <summary>
    /// The standardised features with a trailing column of ones (the bias), [Rows, Columns + 1] in <paramref name="dtype"/>,
    /// so one matmul gives W·x + b.
    /// </summary>
    internal Tensor StandardisedWithBiasColumn(FeatureMatrix features, ScalarType dtype, Device device)
    {
        if (features.Columns != Dimensions)
            throw new ArgumentException($"the standardisation has {Dimensions} features but the matrix has {features.Columns} columns", nameof(features));
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(features.Data, [features.Rows, features.Columns], device: device).to(ScalarType.Float64);
        var mean = torch.tensor(Mean, device: device);
        var scale = torch.tensor(Scale, device: device);
        var standardised = x.sub_(mean).div_(scale);
        var ones = torch.ones([features.Rows, 1], ScalarType.Float64, device: device);
        return torch.cat([standardised, ones], 1).to(dtype).DetachFromDisposeScope();
    }
}
