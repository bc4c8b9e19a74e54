using System.Text.RegularExpressions;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>Applies a <see cref="TorchVisionInit"/> scheme with a generator.</summary>
public static class TorchVisionWeights
{
    private static readonly Regex ResidualBlock = new(@"^layer\d+\.\d+$", RegexOptions.CultureInvariant);

    public static void Initialize(TorchVisionInit scheme, nn.Module model, Generator generator, bool zeroInitResidual = false)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (path, module) in model.named_modules())
        {
            switch (module)
            {
                case Conv2d conv:
                    InitConv(scheme, conv.weight!, conv.bias, generator);
                    break;
                case Linear linear:
                    InitLinear(scheme, path, linear.weight!, linear.bias, generator);
                    break;
                case BatchNorm2d norm:
                    norm.weight?.fill_(1);
                    norm.bias?.zero_();
                    break;
            }
        }
        if (scheme == TorchVisionInit.ResNet && zeroInitResidual)
        {
            // The last BN of each residual block: bn3 of a Bottleneck, bn2 of a BasicBlock.
            foreach (var (path, block) in model.named_modules().Where(m => ResidualBlock.IsMatch(m.name)))
            {
                var children = block.named_children().ToDictionary(c => c.name, c => c.module);
                if ((children.GetValueOrDefault("bn3") ?? children.GetValueOrDefault("bn2")) is BatchNorm2d last)
                    last.weight?.zero_();
            }
        }
    }

    private static void InitConv(TorchVisionInit scheme, Tensor weight, Tensor? bias, Generator generator)
    {
        switch (scheme)
        {
            case TorchVisionInit.ResNet or TorchVisionInit.Vgg or TorchVisionInit.MobileNet:
                weight.normal_(0, Math.Sqrt(2.0 / FanOut(weight)), generator);
                bias?.zero_();
                break;
            case TorchVisionInit.TorchDefault:
                TorchDefault(weight, bias, generator);
                break;
            case TorchVisionInit.Inception:
                TruncatedNormal(weight, 0.1, generator);
                TorchDefaultBias(weight, bias, generator);
                break;
            case TorchVisionInit.GoogLeNet:
                TruncatedNormal(weight, 0.01, generator);
                TorchDefaultBias(weight, bias, generator);
                break;
        }
    }

    private static void InitLinear(TorchVisionInit scheme, string path, Tensor weight, Tensor? bias, Generator generator)
    {
        switch (scheme)
        {
            case TorchVisionInit.ResNet or TorchVisionInit.TorchDefault:
                TorchDefault(weight, bias, generator);
                break;
            case TorchVisionInit.Vgg or TorchVisionInit.MobileNet:
                weight.normal_(0, 0.01, generator);
                bias?.zero_();
                break;
            case TorchVisionInit.Inception:
                // torchvision sets stddev 0.001 on AuxLogits.fc; its 0.01 on AuxLogits.conv1 sits on the BasicConv2d, which the init loop never reads.
                TruncatedNormal(weight, path == "AuxLogits.fc" ? 0.001 : 0.1, generator);
                TorchDefaultBias(weight, bias, generator);
                break;
            case TorchVisionInit.GoogLeNet:
                TruncatedNormal(weight, 0.01, generator);
                TorchDefaultBias(weight, bias, generator);
                break;
        }
    }

    /// <summary>PyTorch's reset_parameters of Linear and Conv: kaiming_uniform_(a = sqrt 5), i.e. U(±1/sqrt(fan_in)), and the bias likewise.</summary>
    private static void TorchDefault(Tensor weight, Tensor? bias, Generator generator)
    {
        var bound = 1.0 / Math.Sqrt(FanIn(weight));
        weight.uniform_(-bound, bound, generator);
        bias?.uniform_(-bound, bound, generator);
    }

    private static void TorchDefaultBias(Tensor weight, Tensor? bias, Generator generator)
    {
        var bound = 1.0 / Math.Sqrt(FanIn(weight));
        bias?.uniform_(-bound, bound, generator);
    }

    /// <summary>
    /// torch.nn.init.trunc_normal_(std, a = -2, b = 2) as PyTorch computes it: the inverse normal CDF of a uniform draw
    /// between the bounds' CDFs, clamped to the bounds. Every std used here is at most 0.1, which puts the bounds 20 std
    /// or more out, where the CDFs are 0 and 1 in double precision: the draw is on (-1, 1) before erfinv.
    /// </summary>
    private static void TruncatedNormal(Tensor weight, double std, Generator generator)
    {
        if (std > 0.1)
            throw new ArgumentOutOfRangeException(nameof(std), std, "bounds within 20 std need the normal CDF; no family asks for it.");
        weight.uniform_(-1, 1, generator).erfinv_().mul_(std * Math.Sqrt(2)).clamp_(-2, 2);
    }

    private static long Receptive(Tensor weight) => weight.shape.Skip(2).Aggregate(1L, (a, b) => a * b);

    /// <summary>PyTorch's fan_in: size(1) x receptive field (a grouped conv's per-group input channels).</summary>
    private static double FanIn(Tensor weight) => weight.shape[1] * Receptive(weight);

    /// <summary>PyTorch's fan_out: size(0) x receptive field (not divided by groups).</summary>
    private static double FanOut(Tensor weight) => weight.shape[0] * Receptive(weight);
}
