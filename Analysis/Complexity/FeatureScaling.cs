namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// A feature standardised for a disentangler to learn: each channel's mean (over samples and positions)
/// removed, then divided by one scale, the root mean square of what is left. The MSE optimum is the same
/// (the map back is affine and the output conv has a bias), but a net whose outputs start at He scale
/// reaches the feature in hundreds of steps rather than thousands when the feature is small: the paper's
/// Task-80 targets have a variance of 5e-6. Row-major [samples, channels, ..positions].
/// </summary>
public sealed class FeatureScaling
{
    private readonly double[] channelMeans;
    private readonly int positions;

    private FeatureScaling(double[] channelMeans, int positions, double scale)
    {
        this.channelMeans = channelMeans;
        this.positions = positions;
        Scale = scale;
    }

    /// <summary>The root mean square of the centred feature (1 for a constant feature, which has nothing to scale).</summary>
    public double Scale { get; }

    /// <param name="shape">one sample's shape, channels first.</param>
    public static FeatureScaling Of(float[] feature, int samples, long[] shape)
    {
        var channels = (int)shape[0];
        var positions = (int)(shape.Aggregate(1L, (a, b) => a * b) / channels);
        var means = new double[channels];
        for (var s = 0; s < samples; s++)
            for (var c = 0; c < channels; c++)
                for (var p = 0; p < positions; p++) means[c] += feature[(s * channels + c) * positions + p];
        for (var c = 0; c < channels; c++) means[c] /= (double)samples * positions;
        double squares = 0;
        for (var s = 0; s < samples; s++)
            for (var c = 0; c < channels; c++)
                for (var p = 0; p < positions; p++)
                {
                    var d = feature[(s * channels + c) * positions + p] - means[c];
                    squares += d * d;
                }
        var rms = Math.Sqrt(squares / feature.Length);
        return new FeatureScaling(means, positions, rms > 0 && double.IsFinite(rms) ? rms : 1);
    }

    public float[] Standardize(float[] feature) => Map(feature, (v, mean) => (v - mean) / Scale);

    /// <summary>The inverse of <see cref="Standardize"/>: a disentangler's output back in the feature's units.</summary>
    public float[] Restore(float[] standardized) => Map(standardized, (v, mean) => v * Scale + mean);

    private float[] Map(float[] values, Func<double, double, double> map)
    {
        var channels = channelMeans.Length;
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = (float)map(values[i], channelMeans[i / positions % channels]);
        return result;
    }
}
