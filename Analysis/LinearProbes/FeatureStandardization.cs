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

    /// <summary>(features − Mean) / Scale, in float32, as a new matrix.</summary>
    public FeatureMatrix Apply(FeatureMatrix features)
    {
        if (features.Columns != Dimensions)
            throw new ArgumentException($"the standardisation has {Dimensions} features but the matrix has {features.Columns} columns", nameof(features));
        var data = new float[features.Data.Length];
        for (var r = 0; r < features.Rows; r++)
        {
            var row = features.Row(r);
            var target = data.AsSpan(r * features.Columns, features.Columns);
            for (var c = 0; c < row.Length; c++) target[c] = (float)((row[c] - Mean[c]) / Scale[c]);
        }
        return new FeatureMatrix(data, features.Rows, features.Columns);
    }

    /// <summary>
    /// The standardised features with a trailing column of ones (the bias), [Rows, Columns + 1] in <paramref name="dtype"/>,
    /// so one matmul gives W·x + b.
    /// </summary>
    internal Tensor StandardisedWithBiasColumn(FeatureMatrix features, ScalarType dtype, Device device)
    {
        if (features.Columns != Dimensions)
            throw new ArgumentException($"the standardisation has {Dimensions} features but the matrix has {features.Columns} columns", nameof(features));
        // Written in one pass into native memory: torch.tensor(float[]) would copy the features into a pinned managed
        // array, and the float64 conversion and the concatenation would copy them twice more.
        var standardised = NativeRows.Write<double>(features.Rows, features.Columns + 1, ScalarType.Float64, (r, target) =>
        {
            var row = features.Row(r);
            for (var c = 0; c < row.Length; c++) target[c] = (row[c] - Mean[c]) / Scale[c];
            target[^1] = 1;
        });
        if (dtype == ScalarType.Float64 && device.type == DeviceType.CPU) return standardised;
        using (standardised) return standardised.to(dtype, device).DetachFromDisposeScope();
    }
}
