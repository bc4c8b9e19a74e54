using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// VGG-16 with batch norm (Simonyan &amp; Zisserman 2015) for small images (architecture
/// "vgg16-small"), the VGG of the Wasserstein layer-behaviour paper at Fashion-MNIST scale: 13
/// 3x3 convolutions, each with batch norm and ReLU, in five stages of 2, 2, 3, 3, 3 with width,
/// 2, 4, 8, 8 width channels, a 2x2 max-pool after a stage while the image is at least 2x2,
/// then global average pooling (in place of VGG's 7x7 flatten, which small images do not reach)
/// and a classifier fc → ReLU → fc.
/// </summary>
public sealed class Vgg16Small : LayeredImageModel
{
    private readonly ModuleList<ConvBatchNorm> features;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public Vgg16SmallConfig Config { get; }

    internal Vgg16Small(Vgg16SmallConfig config, long[] sampleShape, int classCount, Generator generator) : base(Vgg16SmallConfig.Architecture, sampleShape, classCount)
    {
        Config = config;

        var convs = new List<ConvBatchNorm>();
        var channels = ImageShape[0];
        for (var stage = 1; stage <= Vgg16SmallConfig.StageDepths.Length; stage++)
        {
            for (var conv = 0; conv < Vgg16SmallConfig.StageDepths[stage - 1]; conv++)
            {
                convs.Add(new ConvBatchNorm(channels, config.StageChannels(stage), kernelSize: 3, stride: 1));
                channels = config.StageChannels(stage);
            }
        }
        features = nn.ModuleList(convs.ToArray());
        fc1 = nn.Linear(channels, config.Hidden);
        fc2 = nn.Linear(config.Hidden, classCount);
        RegisterComponents();

        // Forward order, so one seed always gives the same weights.
        foreach (var conv in features)
            conv.Initialize(config.Init, generator);
        WeightInit.Apply(config.Init, fc1.weight!, fc1.bias, generator);
        WeightInit.Apply(config.Init, fc2.weight!, fc2.bias, generator);
    }

    public override IReadOnlyList<string> TapNames => Vgg16SmallConfig.Taps;



    /// <summary>
    /// The activation at tap <paramref name="index"/> from the one at the tap before: taps 1 .. 13
    /// are the convolutions. A stage's max-pool runs at the start of what follows the stage (the
    /// next stage's first convolution, or the global pool), so a conv tap is the map before pooling.
    /// </summary>
    protected override Tensor ComputeTap(int index, Tensor below)
    {
        var convCount = features.Count;
        if (index > convCount + 1)
            return index == convCount + 2 ? nn.functional.relu(fc1.forward(below)) : fc2.forward(below);
        var h = Vgg16SmallConfig.EndsStage(index - 1) && Vgg16SmallConfig.PoolsAfterStage(below.shape[2], below.shape[3])
            ? nn.functional.max_pool2d(below, 2)
            : below;
        return index == convCount + 1 ? h.mean([2, 3]) : nn.functional.relu(features[index - 1].forward(h));
    }
}
