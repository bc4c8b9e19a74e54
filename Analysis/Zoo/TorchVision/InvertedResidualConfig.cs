namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// One mobilenet_v3 block, a row of tables 1 and 2 of the MobileNetV3 paper as torchvision's mobilenetv3.py lists it,
/// with its channel counts already scaled by the width multiplier and rounded as torchvision rounds them.
/// </summary>
/// <param name="Hardswish">Hardswish in the expansion and depthwise stages ("HS"); otherwise ReLU ("RE").</param>
internal sealed record InvertedResidualConfig(long InputChannels, long Kernel, long ExpandedChannels, long OutChannels, bool SqueezeExcitation, bool Hardswish,
    long Stride, long Dilation)
{
    /// <summary>A table row (input, kernel, expanded, output channels at width 1, SE, "HS" or "RE", stride, dilation) at <paramref name="widthMult"/>.</summary>
    public static InvertedResidualConfig Scaled(double widthMult, long input, long kernel, long expanded, long output, bool squeezeExcitation, string activation,
        long stride, long dilation) =>
        new(Channels(input, widthMult), kernel, Channels(expanded, widthMult), Channels(output, widthMult), squeezeExcitation, activation == "HS", stride, dilation);

    /// <summary>torchvision's adjust_channels: <paramref name="channels"/> x <paramref name="widthMult"/>, made divisible by 8.</summary>
    public static long Channels(long channels, double widthMult) => MakeDivisible(channels * widthMult, 8);

    /// <summary>
    /// torchvision's _make_divisible (from TensorFlow's slim MobileNet): the nearest multiple of <paramref name="divisor"/>
    /// (halves round up), at least the divisor, and one divisor more when rounding lost over 10%.
    /// </summary>
    public static long MakeDivisible(double value, long divisor)
    {
        var rounded = Math.Max(divisor, (long)(value + divisor / 2.0) / divisor * divisor);
        return rounded < 0.9 * value ? rounded + divisor : rounded;
    }
}
