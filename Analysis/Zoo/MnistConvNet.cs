using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The TensorFlow MNIST tutorial convnet of the probe paper's Fig. 4 (architecture
/// "mnist-convnet"): conv5x5 (same) → ReLU → maxpool 2 → conv5x5 (same) → ReLU → maxpool 2 →
/// fc → ReLU → fc. Every op's input and output is a tap, so probes see both sides of it.
/// </summary>
public sealed class MnistConvNet : TappedModel
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public MnistConvNetConfig Config { get; }

    /// <summary>[C, H, W] of one sample as the network sees it (a [H, W] sample shape gets C = 1).</summary>
    public long[] ImageShape { get; }

    public int ClassCount { get; }

    internal MnistConvNet(MnistConvNetConfig config, long[] sampleShape, int classCount, Generator generator) : base(MnistConvNetConfig.Architecture)
    {
        Config = config;
        ClassCount = classCount;
        ImageShape = sampleShape.Length == 2 ? [1, sampleShape[0], sampleShape[1]] : [.. sampleShape];
        var (channels, height, width) = (ImageShape[0], ImageShape[1], ImageShape[2]);

        conv1 = nn.Conv2d(channels, config.Channels1, kernel_size: 5, padding: 2);
        conv2 = nn.Conv2d(config.Channels1, config.Channels2, kernel_size: 5, padding: 2);
        fc1 = nn.Linear(config.Channels2 * (height / 4) * (width / 4), config.Hidden);
        fc2 = nn.Linear(config.Hidden, classCount);
        RegisterComponents();

        WeightInit.Apply(config.Init, conv1.weight!, conv1.bias, generator);
        WeightInit.Apply(config.Init, conv2.weight!, conv2.bias, generator);
        WeightInit.Apply(config.Init, fc1.weight!, fc1.bias, generator);
        WeightInit.Apply(config.Init, fc2.weight!, fc2.bias, generator);
    }

    public override IReadOnlyList<string> TapNames => MnistConvNetConfig.Taps;

    public override Tensor Forward(Tensor x, TapSink? sink)
    {
        var sample = x.shape.Skip(1).ToArray();
        var singleChannelWithoutAxis = ImageShape[0] == 1 && sample.SequenceEqual(ImageShape.Skip(1));
        if (!sample.SequenceEqual(ImageShape) && !singleChannelWithoutAxis)
            throw new ArgumentException(
                $"mnist-convnet was built for samples of shape [{string.Join(", ", ImageShape)}] but got a batch of shape [{string.Join(", ", x.shape)}].", nameof(x));
        sink?.Invoke("input", x);
        var image = x.dim() == 3 ? x.unsqueeze(1) : x;

        var h = Tap(sink, "conv1_preact", conv1.forward(image));
        h = Tap(sink, "conv1_postact", nn.functional.relu(h));
        h = Tap(sink, "conv1_pooling", nn.functional.max_pool2d(h, 2));
        h = Tap(sink, "conv2_preact", conv2.forward(h));
        h = Tap(sink, "conv2_postact", nn.functional.relu(h));
        h = Tap(sink, "conv2_pooling", nn.functional.max_pool2d(h, 2));
        h = Tap(sink, "fc1_preact", fc1.forward(h.flatten(1)));
        h = Tap(sink, "fc1_postact", nn.functional.relu(h));
        return Tap(sink, "logits", fc2.forward(h));
    }

    private static Tensor Tap(TapSink? sink, string name, Tensor activation)
    {
        sink?.Invoke(name, activation);
        return activation;
    }
}
