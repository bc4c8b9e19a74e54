namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The parameters of ResNet-18 for small images ("resnet18-small"), parsed and range-checked:
/// the stem's width (stages have width, 2 width, 4 width, 8 width channels; default 16) and the
/// convolution init (default Kaiming/He normal, as torchvision's ResNet).
/// </summary>
public sealed record ResNet18SmallConfig(int Width, string Init)
{
    public const string Architecture = "resnet18-small";
    public const int MaxWidth = 1024;

    /// <summary>Stage s (1..4) has two blocks; its first block has this stride.</summary>
    internal static readonly int[] StageStrides = [1, 2, 2, 2];

    public const int BlocksPerStage = 2;

    /// <summary>
    /// "input", "stem", the eight blocks "layer1.0" .. "layer4.1" (with the stem, the paper's nine
    /// ResNet layers), "pool" (global average) and "logits". Block taps are after the block's final ReLU.
    /// </summary>
    public static readonly IReadOnlyList<string> Taps =
    [
        "input", "stem",
        .. Enumerable.Range(1, StageStrides.Length).SelectMany(s => Enumerable.Range(0, BlocksPerStage).Select(b => BlockTap(s, b))),
        "pool", "logits",
    ];

    public static string BlockTap(int stage, int block) => $"layer{stage}.{block}";

    /// <summary>Channels of stage <paramref name="stage"/> (1..4).</summary>
    public long StageChannels(int stage) => (long)Width << (stage - 1);

    /// <summary>Each tap's per-sample shape, from the configuration alone (see <see cref="ResNetTapShapes"/>).</summary>
    public IReadOnlyDictionary<string, long[]> TapShapes(long[] sampleShape, int classCount) =>
        ResNetTapShapes.Of(sampleShape, Width, StageStrides, BlocksPerStage, classCount);

    internal static ResNet18SmallConfig Read(ModelParameterReader reader) => new(
        reader.Int("width", 16, 1, MaxWidth),
        reader.Choice("init", WeightInit.HeNormal, WeightInit.Schemes));
}
