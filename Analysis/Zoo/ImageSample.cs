using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The image sample shapes the convolutional zoo networks take: [C, H, W], or [H, W] for one
/// channel (Fashion-MNIST style data may come either way).
/// </summary>
internal static class ImageSample
{
    /// <summary>[C, H, W] of a valid sample shape ([H, W] gets C = 1).</summary>
    public static long[] ChannelsHeightWidth(long[] sampleShape) =>
        sampleShape.Length == 2 ? [1, sampleShape[0], sampleShape[1]] : [.. sampleShape];

    /// <summary>Problems with <paramref name="sampleShape"/> as an image for <paramref name="architecture"/>.</summary>
    public static IEnumerable<string> Problems(string architecture, long[] sampleShape)
    {
        if (sampleShape.Length is not (2 or 3))
            yield return $"{architecture}: sample shape [{string.Join(", ", sampleShape)}] must be [channels, height, width] or [height, width] (e.g. [1, 28, 28]).";
        else if (sampleShape.Any(d => d <= 0))
            yield return $"{architecture}: sample shape [{string.Join(", ", sampleShape)}] has a dimension that is not positive.";
    }

    /// <summary>
    /// The batch as [N, C, H, W]: a one-channel network also takes [N, H, W]. Any other shape than
    /// the one the network was built for is a clear error rather than a libtorch one.
    /// </summary>
    public static Tensor AsImageBatch(string architecture, long[] imageShape, Tensor x)
    {
        var sample = x.shape.Skip(1).ToArray();
        var singleChannelWithoutAxis = imageShape[0] == 1 && sample.SequenceEqual(imageShape.Skip(1));
        if (!sample.SequenceEqual(imageShape) && !singleChannelWithoutAxis)
            throw new ArgumentException(
                $"{architecture} was built for samples of shape [{string.Join(", ", imageShape)}] but got a batch of shape [{string.Join(", ", x.shape)}].", nameof(x));
        return singleChannelWithoutAxis ? x.unsqueeze(1) : x;
    }

    /// <summary>Output side of a 3x3 convolution with padding 1 (and of a 1x1 one with padding 0) at this stride: ceil(side / stride).</summary>
    public static long ConvSide(long side, int stride) => (side - 1) / stride + 1;
}
