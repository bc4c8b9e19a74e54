using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The basic block of He et al.'s CIFAR ResNets: relu(bn(conv3x3(relu(bn(conv3x3(x))))) + shortcut(x))
/// with the parameter-free "option A" shortcut: the identity, or where the block changes the
/// stride or the channel count, x subsampled at the stride (x[:, :, ::s, ::s]) with zero channels
/// padded on (split evenly before and after, as the common PyTorch CIFAR ResNets do). So the
/// shortcut adds no parameters, as in the paper's 0.27M-parameter ResNet-20.
/// </summary>
internal sealed class CifarBasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly ConvBatchNorm conv1;
    private readonly ConvBatchNorm conv2;
    private readonly long inChannels;
    private readonly long outChannels;
    private readonly int stride;

    public CifarBasicBlock(long inChannels, long outChannels, int stride) : base(nameof(CifarBasicBlock))
    {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride;
        conv1 = new ConvBatchNorm(inChannels, outChannels, kernelSize: 3, stride);
        conv2 = new ConvBatchNorm(outChannels, outChannels, kernelSize: 3, stride: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var preActivation = PreActivation(x);
        return nn.functional.relu(preActivation);
    }

    /// <summary>The block's output before its final ReLU: main path plus shortcut.</summary>
    public Tensor PreActivation(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var main = conv2.forward(nn.functional.relu(conv1.forward(x)));
        return (main + Shortcut(x)).MoveToOuterDisposeScope();
    }

    private Tensor Shortcut(Tensor x)
    {
        var h = x;
        if (stride != 1)
            h = h.slice(2, 0, h.shape[2], stride).slice(3, 0, h.shape[3], stride);
        if (outChannels != inChannels)
        {
            var before = (outChannels - inChannels) / 2;
            h = nn.functional.pad(h, [0, 0, 0, 0, before, outChannels - inChannels - before]);
        }
        return h;
    }

    /// <summary>Initialises the two convolutions in forward order, so a seed always gives the same block.</summary>
    public void Initialize(string scheme, Generator generator)
    {
        conv1.Initialize(scheme, generator);
        conv2.Initialize(scheme, generator);
    }
}
