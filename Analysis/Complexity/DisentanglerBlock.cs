using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// One residual block of a disentangler: relu(bn(conv3x3(x)) + shortcut(x)), one ReLU, so a net
/// of m blocks per stage has exactly 3m + 1 nonlinear layers. Where the block halves the map or
/// widens the channels the shortcut subsamples and zero-pads the channels: it has no parameters
/// and adds no nonlinearity (the paper's count of ReLU layers stays exact).
/// </summary>
internal sealed class DisentanglerBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly int stride;
    private readonly long padChannels;

    public DisentanglerBlock(long inChannels, long outChannels, int stride) : base(nameof(DisentanglerBlock))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernel_size: 3, stride: stride, padding: 1, bias: false);
        bn = nn.BatchNorm2d(outChannels);
        this.stride = stride;
        padChannels = outChannels - inChannels;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var shortcut = stride == 1 ? x : x[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(null, null, stride), TensorIndex.Slice(null, null, stride)];
        if (padChannels > 0)
            shortcut = nn.functional.pad(shortcut, [0, 0, 0, 0, padChannels / 2, padChannels - padChannels / 2]);
        return nn.functional.relu(bn.forward(conv.forward(x)) + shortcut).MoveToOuterDisposeScope();
    }

    public void Initialize(Generator generator)
    {
        WeightInit.Apply(WeightInit.HeNormal, conv.weight!, null, generator);
        using var noGrad = torch.no_grad();
        bn.weight!.fill_(1);
        bn.bias!.zero_();
    }
}
