using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// mobilenet_v3's block (torchvision's mobilenetv3.InvertedResidual, section 5 of the MobileNetV3 paper): a Sequential
/// <c>block</c> of a 1x1 expansion (left out when it would keep the channel count), a depthwise convolution, an optional
/// squeeze-excitation and a 1x1 linear projection, plus the input when the block keeps stride and channels.
/// </summary>
internal sealed class InvertedResidual : nn.Module<Tensor, Tensor>
{
    private readonly Sequential block;
    private readonly bool residual;

    /// <param name="eps">Batch norm's epsilon.</param>
    /// <param name="momentum">Batch norm's running-statistics momentum.</param>
    public InvertedResidual(InvertedResidualConfig config, double eps, double momentum) : base("InvertedResidual")
    {
        if (config.Stride is < 1 or > 2)
            throw new ArgumentException($"an inverted residual block's stride is 1 or 2, not {config.Stride}", nameof(config));
        residual = config.Stride == 1 && config.InputChannels == config.OutChannels;
        Func<bool, nn.Module<Tensor, Tensor>> activation = config.Hardswish ? inplace => nn.Hardswish(inplace) : inplace => nn.ReLU(inplace);

        var layers = new List<nn.Module<Tensor, Tensor>>();
        if (config.ExpandedChannels != config.InputChannels)
            layers.Add(new Conv2dNormActivation(config.InputChannels, config.ExpandedChannels, 1, activation: activation, eps: eps, momentum: momentum));
        // A dilated block keeps the map's size: its dilation replaces its stride (torchvision's dilated=True).
        layers.Add(new Conv2dNormActivation(config.ExpandedChannels, config.ExpandedChannels, config.Kernel, stride: config.Dilation > 1 ? 1 : config.Stride,
            groups: config.ExpandedChannels, dilation: config.Dilation, activation: activation, eps: eps, momentum: momentum));
        if (config.SqueezeExcitation)
            layers.Add(new SqueezeExcitation(config.ExpandedChannels, InvertedResidualConfig.MakeDivisible(config.ExpandedChannels / 4, 8), nn.ReLU(),
                nn.Hardsigmoid()));
        layers.Add(new Conv2dNormActivation(config.ExpandedChannels, config.OutChannels, 1, eps: eps, momentum: momentum));
        block = nn.Sequential(layers);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        var result = block.call(input);
        return residual ? result.add_(input) : result;
    }
}
