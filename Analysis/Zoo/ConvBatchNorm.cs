using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// A convolution followed by batch normalisation, the unit ResNet and VGG-BN are built from. The
/// convolution has no bias: the normalisation's shift would cancel it.
/// </summary>
internal sealed class ConvBatchNorm : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    public ConvBatchNorm(long inChannels, long outChannels, int kernelSize, int stride) : base(nameof(ConvBatchNorm))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernel_size: kernelSize, stride: stride, padding: kernelSize / 2, bias: false);
        bn = nn.BatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var convolved = conv.forward(x);
        return bn.forward(convolved);
    }

    /// <summary>The convolution from <paramref name="scheme"/>; the normalisation starts as the identity (scale 1, shift 0).</summary>
    public void Initialize(string scheme, Generator generator)
    {
        WeightInit.Apply(scheme, conv.weight!, null, generator);
        using var noGrad = torch.no_grad();
        bn.weight!.fill_(1);
        bn.bias!.zero_();
    }
}
