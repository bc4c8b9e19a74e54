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
public sealed class Vgg16Small : TappedModel
{
    private readonly ModuleList<ConvBatchNorm> features;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public Vgg16SmallConfig Config { get; }

    /// <summary>[C, H, W] of one sample as the network sees it (a [H, W] sample shape gets C = 1).</summary>
    public long[] ImageShape { get; }

    public int ClassCount { get; }

    internal Vgg16Small(Vgg16SmallConfig config, long[] sampleShape, int classCount, Generator generator) : base(Vgg16SmallConfig.Architecture)
    {
        Config = config;
        ClassCount = classCount;
        ImageShape = ImageSample.ChannelsHeightWidth(sampleShape);

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

    public override Tensor Forward(Tensor x, TapSink? sink)
    {
        var h = ImageSample.AsImageBatch(Vgg16SmallConfig.Architecture, ImageShape, x);
        sink?.Invoke("input", x);
        var next = 0;
        for (var stage = 1; stage <= Vgg16SmallConfig.StageDepths.Length; stage++)
        {
            for (var conv = 1; conv <= Vgg16SmallConfig.StageDepths[stage - 1]; conv++)
                h = Tap(sink, Vgg16SmallConfig.ConvTap(stage, conv), nn.functional.relu(features[next++].forward(h)));
            if (Vgg16SmallConfig.PoolsAfterStage(h.shape[2], h.shape[3]))
                h = nn.functional.max_pool2d(h, 2);
        }
        h = Tap(sink, "pool", h.mean([2, 3]));
        h = Tap(sink, "fc1", nn.functional.relu(fc1.forward(h)));
        return Tap(sink, "logits", fc2.forward(h));
    }

    private static Tensor Tap(TapSink? sink, string name, Tensor activation)
    {
        sink?.Invoke(name, activation);
        return activation;
    }
}
