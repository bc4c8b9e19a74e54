namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The parameters of the TensorFlow MNIST tutorial convnet ("mnist-convnet", probe paper Fig. 4),
/// parsed and range-checked. Defaults are the tutorial's: 32 and 64 channels, 512 hidden units,
/// truncated-normal(0.1) weights and 0.1 biases.
/// </summary>
public sealed record MnistConvNetConfig(int Channels1, int Channels2, int Hidden, string Init)
{
    public const string Architecture = "mnist-convnet";

    /// <summary>Both sides of every conv, activation and pooling, named as in the paper's Fig. 5.</summary>
    public static readonly IReadOnlyList<string> Taps =
    [
        "input",
        "conv1_preact", "conv1_postact", "conv1_pooling",
        "conv2_preact", "conv2_postact", "conv2_pooling",
        "fc1_preact", "fc1_postact",
        "logits",
    ];

    /// <summary>
    /// Each tap's per-sample shape, from the configuration alone. The input tap is the sample as
    /// given ([H, W] or [C, H, W]); both convolutions keep the image size (5x5, padding 2), each
    /// 2x2 pooling halves it (rounding down), and the fully connected taps are flat.
    /// </summary>
    public IReadOnlyDictionary<string, long[]> TapShapes(long[] sampleShape, int classCount)
    {
        var (height, width) = (sampleShape[^2], sampleShape[^1]);
        var (height2, width2) = (height / 2, width / 2);
        var (height4, width4) = (height2 / 2, width2 / 2);
        return new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["input"] = [.. sampleShape],
            ["conv1_preact"] = [Channels1, height, width],
            ["conv1_postact"] = [Channels1, height, width],
            ["conv1_pooling"] = [Channels1, height2, width2],
            ["conv2_preact"] = [Channels2, height2, width2],
            ["conv2_postact"] = [Channels2, height2, width2],
            ["conv2_pooling"] = [Channels2, height4, width4],
            ["fc1_preact"] = [Hidden],
            ["fc1_postact"] = [Hidden],
            ["logits"] = [classCount],
        };
    }

    internal static MnistConvNetConfig Read(ModelParameterReader reader) => new(
        reader.Int("channels1", 32, 1, 4096),
        reader.Int("channels2", 64, 1, 4096),
        reader.Int("hidden", 512, 1, 65536),
        reader.Choice("init", WeightInit.TruncatedNormal, WeightInit.Schemes));

    /// <summary>
    /// Problems with a sample shape: [C, H, W] or [H, W] (one channel), H and W positive multiples
    /// of 4 because of the two 2x2 poolings.
    /// </summary>
    internal static IEnumerable<string> SampleShapeProblems(long[] sampleShape)
    {
        if (sampleShape.Length is not (2 or 3))
        {
            yield return $"{Architecture}: sample shape [{string.Join(", ", sampleShape)}] must be [channels, height, width] or [height, width] (e.g. [1, 28, 28]).";
            yield break;
        }
        if (sampleShape.Any(d => d <= 0))
            yield return $"{Architecture}: sample shape [{string.Join(", ", sampleShape)}] has a dimension that is not positive.";
        else if (sampleShape[^1] % 4 != 0 || sampleShape[^2] % 4 != 0)
            yield return $"{Architecture}: image size {sampleShape[^2]}x{sampleShape[^1]} must have height and width divisible by 4 (two 2x2 poolings); crop or pad the images.";
    }
}
