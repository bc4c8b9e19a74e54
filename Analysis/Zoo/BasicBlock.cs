using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// ResNet's basic block (He et al. 2016): relu(bn(conv3x3(relu(bn(conv3x3(x))))) + shortcut(x)),
/// the shortcut the identity, or a strided 1x1 convolution with batch norm where the block changes
/// the stride or the channel count.
/// </summary>
internal sealed class BasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly ConvBatchNorm conv1;
    private readonly ConvBatchNorm conv2;
    private readonly ConvBatchNorm? shortcut;

    public BasicBlock(long inChannels, long outChannels, int stride) : base(nameof(BasicBlock))
    {
        conv1 = new ConvBatchNorm(inChannels, outChannels, kernelSize: 3, stride);
        conv2 = new ConvBatchNorm(outChannels, outChannels, kernelSize: 3, stride: 1);
        shortcut = stride != 1 || inChannels != outChannels ? new ConvBatchNorm(inChannels, outChannels, kernelSize: 1, stride) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var h = conv2.forward(nn.functional.relu(conv1.forward(x)));
        var sum = h + (shortcut?.forward(x) ?? x);
        return nn.functional.relu(sum).MoveToOuterDisposeScope();
    }

    /// <summary>Initialises the convolutions in a fixed order (main path, then shortcut) so a seed always gives the same block.</summary>
    public void Initialize(string scheme, Generator generator)
    {
        conv1.Initialize(scheme, generator);
        conv2.Initialize(scheme, generator);
        shortcut?.Initialize(scheme, generator);
    }
}
