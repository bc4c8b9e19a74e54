using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// torchvision's ops.misc.Conv2dNormActivation as its 2-D networks build it: a Sequential of a bias-free convolution
/// ("0"), batch norm ("1") and, when given, an in-place activation ("2"), padded to keep the size at stride 1. Its own
/// type (rather than TorchSharp's plain Sequential) so that listings name it as PyTorch does; it is still a
/// Sequential, so running from a tap can start inside it.
/// </summary>
internal sealed class Conv2dNormActivation : Sequential
{
    /// <param name="activation">Builds the activation with its inplace flag (torchvision passes true); null: none.</param>
    /// <param name="eps">Batch norm's epsilon (mobilenet_v3: 0.001).</param>
    /// <param name="momentum">Batch norm's running-statistics momentum (mobilenet_v3: 0.01).</param>
    public Conv2dNormActivation(long inChannels, long outChannels, long kernelSize, long stride = 1, long groups = 1, long dilation = 1,
        Func<bool, nn.Module<Tensor, Tensor>>? activation = null, double eps = 1e-5, double momentum = 0.1)
        : base(Layers(inChannels, outChannels, kernelSize, stride, groups, dilation, activation, eps, momentum))
    {
    }

    private static nn.Module<Tensor, Tensor>[] Layers(long inChannels, long outChannels, long kernelSize, long stride, long groups, long dilation,
        Func<bool, nn.Module<Tensor, Tensor>>? activation, double eps, double momentum)
    {
        var conv = nn.Conv2d(inChannels, outChannels, kernelSize, stride: stride, padding: (kernelSize - 1) / 2 * dilation, dilation: dilation, groups: groups,
            bias: false);
        var norm = nn.BatchNorm2d(outChannels, eps: eps, momentum: momentum);
        return activation is null ? [conv, norm] : [conv, norm, activation(true)];
    }
}
