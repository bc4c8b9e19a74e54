using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// One residual block of the RU decoder: relu(main(x) + shortcut(x)) with main = conv → ReLU → conv3x3.
/// An upsampling block doubles the map on both tracks, as the paper puts "two transposed conv-layers
/// to two parallel tracks in the residual block": the main track's first layer is a 4x4 stride-2
/// transposed convolution, the shortcut a 2x2 stride-2 one. Otherwise the first layer is a 3x3
/// convolution and the shortcut the identity. No batch norm: the decoder runs on batches of one
/// perturbed sample's features during RU, where batch statistics would mean nothing.
/// </summary>
internal sealed class UpsamplingResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> first;
    private readonly Conv2d second;
    private readonly ConvTranspose2d? shortcut;

    public UpsamplingResidualBlock(long channels, bool upsample) : base(nameof(UpsamplingResidualBlock))
    {
        first = upsample
            ? nn.ConvTranspose2d(channels, channels, kernel_size: 4, stride: 2, padding: 1)
            : nn.Conv2d(channels, channels, kernel_size: 3, padding: 1);
        second = nn.Conv2d(channels, channels, kernel_size: 3, padding: 1);
        shortcut = upsample ? nn.ConvTranspose2d(channels, channels, kernel_size: 2, stride: 2) : null;
        Upsamples = upsample;
        RegisterComponents();
    }

    public bool Upsamples { get; }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var main = second.forward(nn.functional.relu(first.forward(x)));
        var skip = shortcut is null ? x : shortcut.forward(x);
        return nn.functional.relu(main + skip).MoveToOuterDisposeScope();
    }

    public void Initialize(Generator generator)
    {
        foreach (var (name, parameter) in named_parameters())
        {
            if (!name.EndsWith("weight", StringComparison.Ordinal)) continue;
            var bias = named_parameters().FirstOrDefault(p => p.name == name[..^"weight".Length] + "bias").parameter;
            WeightInit.Apply(WeightInit.TorchDefault, parameter, bias, generator);
        }
    }
}
