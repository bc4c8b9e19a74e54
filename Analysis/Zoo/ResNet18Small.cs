using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// ResNet-18 (He et al. 2016) for small images (architecture "resnet18-small"), the ResNet of the
/// Wasserstein layer-behaviour paper at Fashion-MNIST scale: a 3x3 stem convolution (no 7x7
/// stride-2 stem and max-pool, which would leave a 28x28 image almost nothing to work on) with
/// batch norm and ReLU, four stages of two <see cref="BasicBlock"/>s with width, 2, 4 and 8 width
/// channels and strides 1, 2, 2, 2, global average pooling and a linear classifier.
/// </summary>
public sealed class ResNet18Small : LayeredImageModel
{
    private readonly ConvBatchNorm stem;
    private readonly ModuleList<BasicBlock> layer1;
    private readonly ModuleList<BasicBlock> layer2;
    private readonly ModuleList<BasicBlock> layer3;
    private readonly ModuleList<BasicBlock> layer4;
    private readonly Linear fc;

    public ResNet18SmallConfig Config { get; }

    internal ResNet18Small(ResNet18SmallConfig config, long[] sampleShape, int classCount, Generator generator) : base(ResNet18SmallConfig.Architecture, sampleShape, classCount)
    {
        Config = config;

        stem = new ConvBatchNorm(ImageShape[0], config.Width, kernelSize: 3, stride: 1);
        var stages = new ModuleList<BasicBlock>[ResNet18SmallConfig.StageStrides.Length];
        long channels = config.Width;
        for (var s = 0; s < stages.Length; s++)
        {
            var outChannels = config.StageChannels(s + 1);
            stages[s] = nn.ModuleList(
                new BasicBlock(channels, outChannels, ResNet18SmallConfig.StageStrides[s]),
                new BasicBlock(outChannels, outChannels, stride: 1));
            channels = outChannels;
        }
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3]);
        fc = nn.Linear(channels, classCount);
        RegisterComponents();

        // Forward order, so one seed always gives the same weights.
        stem.Initialize(config.Init, generator);
        foreach (var block in Stages.SelectMany(s => s))
            block.Initialize(config.Init, generator);
        WeightInit.Apply(config.Init, fc.weight!, fc.bias, generator);
    }

    private IEnumerable<ModuleList<BasicBlock>> Stages => [layer1, layer2, layer3, layer4];

    public override IReadOnlyList<string> TapNames => ResNet18SmallConfig.Taps;



    /// <summary>The activation at tap <paramref name="index"/> from the one at the tap before: taps 2 .. 9 are the blocks in order.</summary>
    protected override Tensor ComputeTap(int index, Tensor below) => ResNet18SmallConfig.Taps[index] switch
    {
        "stem" => nn.functional.relu(stem.forward(below)),
        "pool" => below.mean([2, 3]),
        "logits" => fc.forward(below),
        _ => Stages.SelectMany(s => s).ElementAt(index - 2).forward(below),
    };
}
