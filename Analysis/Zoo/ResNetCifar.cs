using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// He et al.'s CIFAR ResNet (2016, section 4.2; architecture "resnet-cifar"), the ResNet-8/14/20/32/44
/// of the feature-complexity paper: a 3x3 stem convolution with width (16) channels, batch norm and
/// ReLU, three stages of n <see cref="CifarBasicBlock"/>s with width, 2 and 4 width channels and
/// strides 1, 2, 2 (parameter-free zero-padding shortcuts), global average pooling and a linear
/// classifier; depth 6n + 2.
/// </summary>
public sealed class ResNetCifar : LayeredImageModel
{
    private readonly ConvBatchNorm stem;
    private readonly ModuleList<CifarBasicBlock> layer1;
    private readonly ModuleList<CifarBasicBlock> layer2;
    private readonly ModuleList<CifarBasicBlock> layer3;
    private readonly Linear fc;
    private readonly IReadOnlyList<string> tapNames;

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
            channels = outChannels;
        }
        (layer1, layer2, layer3) = (stages[0], stages[1], stages[2]);
        fc = nn.Linear(channels, classCount);
        RegisterComponents();

        // Forward order, so one seed always gives the same weights.
        stem.Initialize(config.Init, generator);
        foreach (var block in Blocks)
            block.Initialize(config.Init, generator);
        WeightInit.Apply(config.Init, fc.weight!, fc.bias, generator);
    }

    /// <summary>All blocks in forward order.</summary>
    private IEnumerable<CifarBasicBlock> Blocks => layer1.Concat(layer2).Concat(layer3);

    public override IReadOnlyList<string> TapNames => tapNames;



    /// <summary>
    /// The activation at tap <paramref name="index"/> from the one at the tap before. Taps 2 ..
    /// are the blocks in order, with the last block split in two: its pre-activation, then its ReLU.
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
        if (tap == ResNetCifarConfig.LastPreActivationTap)
            return layer3[^1].PreActivation(below);
        if (tapNames[index - 1] == ResNetCifarConfig.LastPreActivationTap)
            return nn.functional.relu(below); // the last block's final ReLU
        return Blocks.ElementAt(index - 2).forward(below);
    }
}
