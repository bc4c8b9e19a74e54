namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The parameters of He et al.'s CIFAR ResNet ("resnet-cifar"), the ResNet-8/14/20/32/44 of the
/// feature-complexity paper, parsed and range-checked: the depth 6n + 2 (n blocks a stage; default
/// 20), the stem's width (stages have width, 2 width, 4 width channels; default 16, the paper's),
/// the convolution init (default Kaiming/He normal) and, optionally, the block a
/// <see cref="DamagingBlock"/> of <paramref name="DamageWidth"/> channels follows (null: none, the
/// original network; the width then means nothing).
/// </summary>
public sealed record ResNetCifarConfig(int Depth, int Width, string Init, string? DamageAfter = null, int DamageWidth = ResNetCifarConfig.DefaultDamageWidth)
{
    public const string Architecture = "resnet-cifar";
    public const int MaxDepth = 6 * 200 + 2; // ResNet-1202, the deepest of the paper
    public const int MaxWidth = 1024;

    /// <summary>N of the information-discarding paper's damaging block (its experiment sets N = 8).</summary>
    public const int DefaultDamageWidth = 8;
    public const int MaxDamageWidth = 4096;

    /// <summary>The damaging block's output, right after the tap of the block it follows.</summary>
    public const string DamageTap = "damage";

    /// <summary>Stage s (1..3) has <see cref="BlocksPerStage"/> blocks; its first block has this stride.</summary>
    internal static readonly int[] StageStrides = [1, 2, 2];

    /// <summary>The last block's output before its final ReLU: the feature the paper disentangles (above it: ReLU, average pool, linear).</summary>
    public const string LastPreActivationTap = "layer3.out_preact";

    /// <summary>n of depth = 6n + 2: two convolutions a block, three stages, plus the stem and the classifier.</summary>
    public int BlocksPerStage => (Depth - 2) / 6;

    /// <summary>
    /// "input", "stem", the blocks "layer1.0" .. "layer3.{n-1}" (after each block's final ReLU) with
    /// <see cref="LastPreActivationTap"/> just before the last of them and <see cref="DamageTap"/> just
    /// after <see cref="DamageAfter"/>, "pool" (global average), "logits". The other names do not
    /// depend on the damage, so curves of the original and the damaged network line up by name.
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
                    if (BlockTap(stage, block) == DamageAfter)
                        taps.Add(DamageTap);
                }
            }
            taps.Add("pool");
            taps.Add("logits");
            return taps;
        }
    }

    public static string BlockTap(int stage, int block) => $"layer{stage}.{block}";

    /// <summary>The block tap of the network's last block, whose output the pool and the classifier take.</summary>
    public string LastBlockTap => BlockTap(StageStrides.Length, BlocksPerStage - 1);

    /// <summary>
    /// The blocks a damaging block may follow: every block with another residual block after it (the
    /// paper inserts it "between two neighboring residual blocks"), so not the last one.
    /// </summary>
    public static IReadOnlyList<string> DamageSites(int blocksPerStage) =>
        [.. Enumerable.Range(1, StageStrides.Length)
            .SelectMany(stage => Enumerable.Range(0, blocksPerStage).Select(block => BlockTap(stage, block)))
            .SkipLast(1)];

    /// <summary>Channels of stage <paramref name="stage"/> (1..3).</summary>
    public long StageChannels(int stage) => (long)Width << (stage - 1);

    /// <summary>
    /// Each tap's per-sample shape, from the configuration alone (see <see cref="ResNetTapShapes"/>;
    /// the shortcut's subsampling agrees with the convolutions); the last block's pre-activation has
    /// its shape, and so has the damaging block's output that of the block it follows (1x1 convolutions
    /// back to the same channel count).
    /// </summary>
    public IReadOnlyDictionary<string, long[]> TapShapes(long[] sampleShape, int classCount)
    {
        var shapes = ResNetTapShapes.Of(sampleShape, Width, StageStrides, BlocksPerStage, classCount, LastPreActivationTap);
        if (DamageAfter is not null)
            shapes[DamageTap] = shapes[DamageAfter];
        return TapNames.ToDictionary(tap => tap, tap => shapes[tap], StringComparer.Ordinal); // in forward order
    }

    internal static ResNetCifarConfig Read(ModelParameterReader reader)
    {
        var depth = reader.Int("depth", 20, 8, MaxDepth);
        var width = reader.Int("width", 16, 1, MaxWidth);
        var init = reader.Choice("init", WeightInit.HeNormal, WeightInit.Schemes);
        if ((depth - 2) % 6 != 0)
            reader.Problem($"parameter 'depth' = {depth} is not 6n + 2; allowed: 8, 14, 20, 32, 44, 56, 110, ... up to {MaxDepth} (default 20).");

        // Blocks of the depth as given (rounded down where it is not 6n + 2, which is reported above).
        var config = new ResNetCifarConfig(depth, width, init);
        var damageAfter = reader.OptionalChoice("damageAfter", DamageSites(config.BlocksPerStage),
            $"a block with another residual block after it, as in the information-discarding paper; not the last block {config.LastBlockTap}, " +
            $"which the pool follows and whose output is split into {LastPreActivationTap} and its ReLU");
        if (damageAfter is not null)
            return config with { DamageAfter = damageAfter, DamageWidth = reader.Int("damageWidth", DefaultDamageWidth, 1, MaxDamageWidth) };

        // Without a damaging block its width is left out of the canonical parameters: the original network's stay as they were.
        reader.OptionalInt("damageWidth", 1, MaxDamageWidth);
        if (reader.IsGiven("damageWidth") && !reader.IsGiven("damageAfter"))
            reader.Problem($"parameter 'damageWidth' sizes the damaging block, but 'damageAfter' is not given, so there is none; " +
                           $"add damageAfter (one of {string.Join(", ", DamageSites(config.BlocksPerStage))}) or leave damageWidth out.");
        return config;
    }
}
