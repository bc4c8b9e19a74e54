using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// torchvision's ops.misc.SqueezeExcitation (Hu et al. 2018): the input times a per-channel scale computed from its
/// global average by two 1x1 convolutions, fc1 (to the squeeze channels, then <c>activation</c>) and fc2 (back, then
/// <c>scale_activation</c>). mobilenet_v3 uses ReLU and Hardsigmoid. State_dict keys fc1.* and fc2.*, as PyTorch's.
/// </summary>
internal sealed class SqueezeExcitation : nn.Module<Tensor, Tensor>
{
    // Declared in torchvision's order (the order of named_modules, so of the seeded init).
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Conv2d fc1;
    private readonly Conv2d fc2;
    private readonly nn.Module<Tensor, Tensor> activation;
    [ComponentName(Name = "scale_activation")]
    private readonly nn.Module<Tensor, Tensor> scaleActivation;

    /// <param name="activation">The activation after fc1 (torchvision's default: ReLU, not in place).</param>
    /// <param name="scaleActivation">The activation after fc2 that makes the scale (torchvision's default: Sigmoid; mobilenet_v3: Hardsigmoid).</param>
    public SqueezeExcitation(long inputChannels, long squeezeChannels, nn.Module<Tensor, Tensor> activation, nn.Module<Tensor, Tensor> scaleActivation)
        : base("SqueezeExcitation")
    {
        avgpool = nn.AdaptiveAvgPool2d(1);
        fc1 = nn.Conv2d(inputChannels, squeezeChannels, 1);
        fc2 = nn.Conv2d(squeezeChannels, inputChannels, 1);
        this.activation = activation;
        this.scaleActivation = scaleActivation;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var scale = scaleActivation.call(fc2.call(activation.call(fc1.call(avgpool.call(input)))));
        return (scale * input).MoveToOuterDisposeScope();
    }
}
