namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// The grid of pixels a sample's maps are drawn on: [C, H, W] and [H, W] samples are H x W, a flat sample of D
/// values is 1 x D. Maps average the channels, so one object mask (a flag per pixel) serves every channel.
/// </summary>
public readonly record struct PixelGrid(int Height, int Width)
{
    public int Pixels => Height * Width;

    public static PixelGrid Of(long[] sampleShape) => sampleShape.Length >= 2
        ? new((int)sampleShape[^2], (int)sampleShape[^1])
        : new(1, (int)sampleShape.Aggregate(1L, (a, b) => a * b));

    /// <summary>Values [C, pixels] row-major to the mean over C per pixel.</summary>
    public double[] ChannelMean(IReadOnlyList<double> values)
    {
        var pixels = Pixels;
        var channels = values.Count / pixels;
        var mean = new double[pixels];
        for (var c = 0; c < channels; c++)
            for (var p = 0; p < pixels; p++)
                mean[p] += values[c * pixels + p] / channels;
        return mean;
    }

    /// <summary>The same for float values (an input sample), averaged in double and rounded once.</summary>
    public float[] ChannelMean(float[] values) =>
        ChannelMean(values.Select(v => (double)v).ToArray()).Select(v => (float)v).ToArray();
}
