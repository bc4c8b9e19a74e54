using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The block the layerwise-information-discarding paper inserts between two residual blocks to damage
/// a ResNet on purpose (section 4, "diagnosis of architectural flaws"): relu(conv2(relu(conv1(x))))
/// where conv1 has N 1x1xM filters and conv2 M 1x1xN filters (M the input's channels), with biases.
/// It has neither a skip connection nor batch norm, as the paper describes conv and ReLU layers only:
/// the missing skip is the damage, and with N below M it is a bottleneck every feature must pass.
/// </summary>
internal sealed class DamagingBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;

    /// <param name="channels">M, the channels of the block's input and output.</param>
    /// <param name="width">N, the channels between the two convolutions.</param>
    public DamagingBlock(long channels, long width) : base(nameof(DamagingBlock))
    {
        conv1 = nn.Conv2d(channels, width, kernel_size: 1);
        conv2 = nn.Conv2d(width, channels, kernel_size: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var hidden = nn.functional.relu(conv1.forward(x));
        return nn.functional.relu(conv2.forward(hidden)).MoveToOuterDisposeScope();
    }

    /// <summary>Initialises the two convolutions (weights and biases) in forward order, so a seed always gives the same block.</summary>
    public void Initialize(string scheme, Generator generator)
    {
        WeightInit.Apply(scheme, conv1.weight!, conv1.bias, generator);
        WeightInit.Apply(scheme, conv2.weight!, conv2.bias, generator);
    }
}
