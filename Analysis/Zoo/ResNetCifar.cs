using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// He et al.'s CIFAR ResNet (2016, section 4.2; architecture "resnet-cifar"), the ResNet-8/14/20/32/44
/// of the feature-complexity paper: a 3x3 stem convolution with width (16) channels, batch norm and
/// ReLU, three stages of n <see cref="CifarBasicBlock"/>s with width, 2 and 4 width channels and
/// strides 1, 2, 2 (parameter-free zero-padding shortcuts), global average pooling and a linear
/// classifier; depth 6n + 2. Optionally a <see cref="DamagingBlock"/> follows one block (its tap
/// "damage"), the information-discarding paper's damaged ResNet.
/// </summary>
public sealed class ResNetCifar : LayeredImageModel
{
    private readonly ConvBatchNorm stem;
    private readonly ModuleList<CifarBasicBlock> layer1;
    private readonly ModuleList<CifarBasicBlock> layer2;
    private readonly ModuleList<CifarBasicBlock> layer3;
    /// <summary>
    /// The damaging block, if any, keyed by where it sits ("after_layer1_2"), so its tensors
    /// ("damage.after_layer1_2.conv1.weight") name the place: a checkpoint of a network damaged elsewhere
    /// is refused by name, where plain "damage.*" names of equal shapes would load into the wrong place.
    /// </summary>
    private readonly ModuleDict<DamagingBlock> damage = new();
    private readonly Linear fc;
    private readonly IReadOnlyList<string> tapNames;
    private readonly Dictionary<string, CifarBasicBlock> blocksByTap = new(StringComparer.Ordinal);

    public ResNetCifarConfig Config { get; }

    internal ResNetCifar(ResNetCifarConfig config, long[] sampleShape, int classCount, Generator generator) : base(ResNetCifarConfig.Architecture, sampleShape, classCount)
    {
        Config = config;
        tapNames = config.TapNames;

        stem = new ConvBatchNorm(ImageShape[0], config.Width, kernelSize: 3, stride: 1);
        var stages = new ModuleList<CifarBasicBlock>[ResNetCifarConfig.StageStrides.Length];
        long channels = config.Width;
        for (var s = 0; s < stages.Length; s++)
        {
            var outChannels = config.StageChannels(s + 1);
            stages[s] = nn.ModuleList(Enumerable.Range(0, config.BlocksPerStage)
                .Select(b => new CifarBasicBlock(b == 0 ? channels : outChannels, outChannels, b == 0 ? ResNetCifarConfig.StageStrides[s] : 1))
                .ToArray());
            for (var b = 0; b < config.BlocksPerStage; b++)
            {
                var tap = ResNetCifarConfig.BlockTap(s + 1, b);
                blocksByTap[tap] = stages[s][b];
                if (tap == config.DamageAfter)
                    damage.Add(PlaceAfter(tap), new DamagingBlock(outChannels, config.DamageWidth));
            }
            channels = outChannels;
        }
        (layer1, layer2, layer3) = (stages[0], stages[1], stages[2]);
        fc = nn.Linear(channels, classCount);
        RegisterComponents();

        // Forward order, so one seed always gives the same weights. The damaging block draws between the
        // blocks around it, so the blocks after it (and fc) differ from the original network's of the same seed.
        stem.Initialize(config.Init, generator);
        foreach (var tap in tapNames)
        {
            if (blocksByTap.TryGetValue(tap, out var block))
                block.Initialize(config.Init, generator);
            else if (tap == ResNetCifarConfig.DamageTap)
                damage[PlaceAfter(config.DamageAfter!)].Initialize(config.Init, generator);
        }
        WeightInit.Apply(config.Init, fc.weight!, fc.bias, generator);
    }

    public override IReadOnlyList<string> TapNames => tapNames;

    /// <summary>
    /// The activation at tap <paramref name="index"/> from the one at the tap before, by the tap's
    /// name: the stem, a block, the damaging block, the last block split in two (its pre-activation,
    /// then its ReLU), the pool or the classifier.
    /// </summary>
    protected override Tensor ComputeTap(int index, Tensor below)
    {
        var tap = tapNames[index];
        if (tap == "stem")
            return nn.functional.relu(stem.forward(below));
        if (tap == "pool")
            return below.mean([2, 3]);
        if (tap == "logits")
            return fc.forward(below);
        if (tap == ResNetCifarConfig.DamageTap)
            return damage[PlaceAfter(Config.DamageAfter!)].forward(below);
        if (tap == ResNetCifarConfig.LastPreActivationTap)
            return layer3[^1].PreActivation(below);
        if (tap == Config.LastBlockTap)
            return nn.functional.relu(below); // the last block's final ReLU, on its pre-activation
        return blocksByTap[tap].forward(below);
    }

    /// <summary>The damaging block's key: module names cannot hold the tap's ".".</summary>
    private static string PlaceAfter(string blockTap) => "after_" + blockTap.Replace('.', '_');
}
