using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// torchvision's mobilenet_v3_large and mobilenet_v3_small (mobilenetv3.py, Howard et al. 2019) with torchvision's
/// module tree and state_dict names: <c>features</c> (a Hardswish 3x3 stride-2 stem, the inverted residual blocks, a
/// 1x1 Hardswish conv to 6x the last block's channels), <c>avgpool</c>, flatten, and <c>classifier</c> (Linear,
/// Hardswish, Dropout, Linear). Batch norm has eps 0.001 and momentum 0.01. TorchSharp's own MobileNetV3 takes no
/// class count and has ReLU6 in its squeeze-excitation, so it is not this network.
/// </summary>
internal sealed class MobileNetV3 : nn.Module<Tensor, Tensor>
{
    private const double Eps = 0.001;
    private const double Momentum = 0.01;

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential classifier;

    /// <param name="blocks">The inverted residual blocks, in order.</param>
    /// <param name="lastChannel">The classifier's hidden width (the penultimate layer).</param>
    public MobileNetV3(IReadOnlyList<InvertedResidualConfig> blocks, long lastChannel, long classCount, double dropout) : base("MobileNetV3")
    {
        if (blocks.Count == 0)
            throw new ArgumentException("mobilenet_v3 needs at least one inverted residual block", nameof(blocks));
        Func<bool, nn.Module<Tensor, Tensor>> hardswish = inplace => nn.Hardswish(inplace);
        var lastConvInput = blocks[^1].OutChannels;
        var lastConvOutput = 6 * lastConvInput;
        nn.Module<Tensor, Tensor>[] layers =
        [
            new Conv2dNormActivation(3, blocks[0].InputChannels, 3, stride: 2, activation: hardswish, eps: Eps, momentum: Momentum),
            .. blocks.Select(b => new InvertedResidual(b, Eps, Momentum)),
            new Conv2dNormActivation(lastConvInput, lastConvOutput, 1, activation: hardswish, eps: Eps, momentum: Momentum),
        ];
        features = nn.Sequential(layers);
        avgpool = nn.AdaptiveAvgPool2d(1);
        classifier = nn.Sequential(
            nn.Linear(lastConvOutput, lastChannel),
            nn.Hardswish(inplace: true),
            nn.Dropout(dropout, inplace: true),
            nn.Linear(lastChannel, classCount));
        RegisterComponents();
    }

    /// <summary>torchvision's mobilenet_v3_large(num_classes, width_mult, reduced_tail, dilated, dropout).</summary>
    /// <param name="reducedTail">Halve the channels of the last stage (blocks 13-15) and of the classifier's hidden layer.</param>
    /// <param name="dilated">Dilate the last stage by 2 instead of striding (an output stride of 16 rather than 32).</param>
    public static MobileNetV3 Large(long classCount, double widthMult = 1.0, bool reducedTail = false, bool dilated = false, double dropout = 0.2)
    {
        var (d, r) = (dilated ? 2 : 1, reducedTail ? 2 : 1);
        InvertedResidualConfig B(long input, long kernel, long expanded, long output, bool se, string activation, long stride, long dilation) =>
            InvertedResidualConfig.Scaled(widthMult, input, kernel, expanded, output, se, activation, stride, dilation);
        InvertedResidualConfig[] blocks =
        [
            B(16, 3, 16, 16, false, "RE", 1, 1),
            B(16, 3, 64, 24, false, "RE", 2, 1), // C1
            B(24, 3, 72, 24, false, "RE", 1, 1),
            B(24, 5, 72, 40, true, "RE", 2, 1), // C2
            B(40, 5, 120, 40, true, "RE", 1, 1),
            B(40, 5, 120, 40, true, "RE", 1, 1),
            B(40, 3, 240, 80, false, "HS", 2, 1), // C3
            B(80, 3, 200, 80, false, "HS", 1, 1),
            B(80, 3, 184, 80, false, "HS", 1, 1),
            B(80, 3, 184, 80, false, "HS", 1, 1),
            B(80, 3, 480, 112, true, "HS", 1, 1),
            B(112, 3, 672, 112, true, "HS", 1, 1),
            B(112, 5, 672, 160 / r, true, "HS", 2, d), // C4
            B(160 / r, 5, 960 / r, 160 / r, true, "HS", 1, d),
            B(160 / r, 5, 960 / r, 160 / r, true, "HS", 1, d),
        ];
        return new MobileNetV3(blocks, InvertedResidualConfig.Channels(1280 / r, widthMult), classCount, dropout); // C5
    }

    /// <summary>torchvision's mobilenet_v3_small(num_classes, width_mult, reduced_tail, dilated, dropout).</summary>
    /// <param name="reducedTail">Halve the channels of the last stage (blocks 9-11) and of the classifier's hidden layer.</param>
    /// <param name="dilated">Dilate the last stage by 2 instead of striding (an output stride of 16 rather than 32).</param>
    public static MobileNetV3 Small(long classCount, double widthMult = 1.0, bool reducedTail = false, bool dilated = false, double dropout = 0.2)
    {
        var (d, r) = (dilated ? 2 : 1, reducedTail ? 2 : 1);
        InvertedResidualConfig B(long input, long kernel, long expanded, long output, bool se, string activation, long stride, long dilation) =>
            InvertedResidualConfig.Scaled(widthMult, input, kernel, expanded, output, se, activation, stride, dilation);
        InvertedResidualConfig[] blocks =
        [
            B(16, 3, 16, 16, true, "RE", 2, 1), // C1
            B(16, 3, 72, 24, false, "RE", 2, 1), // C2
            B(24, 3, 88, 24, false, "RE", 1, 1),
            B(24, 5, 96, 40, true, "HS", 2, 1), // C3
            B(40, 5, 240, 40, true, "HS", 1, 1),
            B(40, 5, 240, 40, true, "HS", 1, 1),
            B(40, 5, 120, 48, true, "HS", 1, 1),
            B(48, 5, 144, 48, true, "HS", 1, 1),
            B(48, 5, 288, 96 / r, true, "HS", 2, d), // C4
            B(96 / r, 5, 576 / r, 96 / r, true, "HS", 1, d),
            B(96 / r, 5, 576 / r, 96 / r, true, "HS", 1, d),
        ];
        return new MobileNetV3(blocks, InvertedResidualConfig.Channels(1024 / r, widthMult), classCount, dropout); // C5
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var pooled = avgpool.call(features.call(x));
        return classifier.call(pooled.flatten(1)).MoveToOuterDisposeScope();
    }
}
