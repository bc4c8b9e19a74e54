namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The parameters of VGG-16 (with batch norm) for small images ("vgg16-small"), parsed and
/// range-checked: the first stage's width (stages have width, 2, 4, 8, 8 width channels;
/// default 8), the classifier's hidden units (default 128) and the init (default Kaiming/He normal).
/// </summary>
public sealed record Vgg16SmallConfig(int Width, int Hidden, string Init)
{
    public const string Architecture = "vgg16-small";
    public const int MaxWidth = 1024;
    public const int MaxHidden = 65536;

    /// <summary>Convolutions in each of VGG-16's five stages: 13 in all.</summary>
    internal static readonly int[] StageDepths = [2, 2, 3, 3, 3];

    /// <summary>Channels of stage s (1..5) as a multiple of the width.</summary>
    private static readonly int[] StageWidthFactors = [1, 2, 4, 8, 8];

    /// <summary>"conv1_1" .. "conv5_3" in forward order: the paper's VGG layers 1..13.</summary>
    public static readonly IReadOnlyList<string> ConvTaps =
        [.. StageDepths.SelectMany((depth, s) => Enumerable.Range(1, depth).Select(i => ConvTap(s + 1, i)))];

    /// <summary>"input", the 13 convolutions (after batch norm and ReLU), "pool" (global average), "fc1" (after ReLU), "logits".</summary>
    public static readonly IReadOnlyList<string> Taps = ["input", .. ConvTaps, "pool", "fc1", "logits"];

    public static string ConvTap(int stage, int conv) => $"conv{stage}_{conv}";

    /// <summary>Channels of stage <paramref name="stage"/> (1..5).</summary>
    public long StageChannels(int stage) => (long)Width * StageWidthFactors[stage - 1];

    /// <summary>
    /// A stage ends with a 2x2 max-pool only while both sides are at least 2, so small images
    /// still pass all five stages (28x28: 14, 7, 3, 1, and stage 5 runs at 1x1 unpooled; 56x56:
    /// 28, 14, 7, 3, 1). The global average pool makes the classifier independent of the size left.
    /// </summary>
    internal static bool PoolsAfterStage(long height, long width) => height >= 2 && width >= 2;

    /// <summary>Whether convolution <paramref name="conv"/> (1..13, forward order) is the last of its stage.</summary>
    internal static bool EndsStage(int conv)
    {
        var end = 0;
        foreach (var depth in StageDepths)
        {
            end += depth;
            if (conv == end)
                return true;
        }
        return false;
    }

    /// <summary>Each tap's per-sample shape, from the configuration alone (3x3 convolutions with padding 1 keep the size).</summary>
    public IReadOnlyDictionary<string, long[]> TapShapes(long[] sampleShape, int classCount)
    {
        var (height, width) = (sampleShape[^2], sampleShape[^1]);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal) { ["input"] = [.. sampleShape] };
        for (var stage = 1; stage <= StageDepths.Length; stage++)
        {
            for (var conv = 1; conv <= StageDepths[stage - 1]; conv++)
                shapes[ConvTap(stage, conv)] = [StageChannels(stage), height, width];
            if (PoolsAfterStage(height, width))
                (height, width) = (height / 2, width / 2);
        }
        shapes["pool"] = [StageChannels(StageDepths.Length)];
        shapes["fc1"] = [Hidden];
        shapes["logits"] = [classCount];
        return shapes;
    }

    internal static Vgg16SmallConfig Read(ModelParameterReader reader) => new(
        reader.Int("width", 8, 1, MaxWidth),
        reader.Int("hidden", 128, 1, MaxHidden),
        reader.Choice("init", WeightInit.HeNormal, WeightInit.Schemes));
}
