using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The TensorFlow MNIST tutorial convnet of the probe paper's Fig. 4 (architecture
/// "mnist-convnet"): conv5x5 (same) → ReLU → maxpool 2 → conv5x5 (same) → ReLU → maxpool 2 →
/// fc → ReLU → fc. Every op's input and output is a tap, so probes see both sides of it.
/// </summary>
public sealed class MnistConvNet : LayeredImageModel
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public MnistConvNetConfig Config { get; }

    internal MnistConvNet(MnistConvNetConfig config, long[] sampleShape, int classCount, Generator generator) : base(MnistConvNetConfig.Architecture, sampleShape, classCount)
    {
        Config = config;
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



    /// <summary>The activation at tap <paramref name="index"/> from the one at the tap before.</summary>
    protected override Tensor ComputeTap(int index, Tensor below) => MnistConvNetConfig.Taps[index] switch
    {
        "conv1_preact" => conv1.forward(below),
        "conv2_preact" => conv2.forward(below),
        "conv1_postact" or "conv2_postact" or "fc1_postact" => nn.functional.relu(below),
        "conv1_pooling" or "conv2_pooling" => nn.functional.max_pool2d(below, 2),
        "fc1_preact" => fc1.forward(below.flatten(1)),
        "logits" => fc2.forward(below),
        var tap => throw new InvalidOperationException($"mnist-convnet has no layer for tap '{tap}'."),
    };
}
