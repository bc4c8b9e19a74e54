namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The parameters of He et al.'s CIFAR ResNet ("resnet-cifar"), the ResNet-8/14/20/32/44 of the
/// feature-complexity paper, parsed and range-checked: the depth 6n + 2 (n blocks a stage; default
/// 20), the stem's width (stages have width, 2 width, 4 width channels; default 16, the paper's)
/// and the convolution init (default Kaiming/He normal).
/// </summary>
public sealed record ResNetCifarConfig(int Depth, int Width, string Init)
{
    public const string Architecture = "resnet-cifar";
    public const int MaxDepth = 6 * 200 + 2; // ResNet-1202, the deepest of the paper
    public const int MaxWidth = 1024;

    /// <summary>Stage s (1..3) has <see cref="BlocksPerStage"/> blocks; its first block has this stride.</summary>
    internal static readonly int[] StageStrides = [1, 2, 2];

    /// <summary>The last block's output before its final ReLU: the feature the paper disentangles (above it: ReLU, average pool, linear).</summary>
    public const string LastPreActivationTap = "layer3.out_preact";

    /// <summary>n of depth = 6n + 2: two convolutions a block, three stages, plus the stem and the classifier.</summary>
    public int BlocksPerStage => (Depth - 2) / 6;

    /// <summary>
    /// "input", "stem", the blocks "layer1.0" .. "layer3.{n-1}" (after each block's final ReLU) with
    /// <see cref="LastPreActivationTap"/> just before the last of them, "pool" (global average), "logits".
    /// </summary>
    public IReadOnlyList<string> TapNames
    {
        get
        {
            var taps = new List<string> { "input", "stem" };
            for (var stage = 1; stage <= StageStrides.Length; stage++)
            {
                for (var block = 0; block < BlocksPerStage; block++)
                {
                    if (stage == StageStrides.Length && block == BlocksPerStage - 1)
                        taps.Add(LastPreActivationTap);
                    taps.Add(BlockTap(stage, block));
                }
            }
            taps.Add("pool");
            taps.Add("logits");
            return taps;
        }
    }

    public static string BlockTap(int stage, int block) => $"layer{stage}.{block}";

    /// <summary>Channels of stage <paramref name="stage"/> (1..3).</summary>
    public long StageChannels(int stage) => (long)Width << (stage - 1);

    /// <summary>
    /// Each tap's per-sample shape, from the configuration alone (see <see cref="ResNetTapShapes"/>;
    /// the shortcut's subsampling agrees with the convolutions); the last block's pre-activation has its shape.
    /// </summary>
    public IReadOnlyDictionary<string, long[]> TapShapes(long[] sampleShape, int classCount) =>
        ResNetTapShapes.Of(sampleShape, Width, StageStrides, BlocksPerStage, classCount, LastPreActivationTap);

    internal static ResNetCifarConfig Read(ModelParameterReader reader)
    {
        var depth = reader.Int("depth", 20, 8, MaxDepth);
        var width = reader.Int("width", 16, 1, MaxWidth);
        var init = reader.Choice("init", WeightInit.HeNormal, WeightInit.Schemes);
        if ((depth - 2) % 6 != 0)
            reader.Problem($"parameter 'depth' = {depth} is not 6n + 2; allowed: 8, 14, 20, 32, 44, 56, 110, ... up to {MaxDepth} (default 20).");
        return new ResNetCifarConfig(depth, width, init);
    }
}
