using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// Weight initialisation schemes, all drawn from an explicit seeded <see cref="Generator"/>:
/// TorchSharp's xavier/kaiming initialisers take no generator and would read the global RNG,
/// which parallel jobs share, so the schemes are written here from their definitions. They use
/// <c>Tensor.normal_/uniform_</c>: in TorchSharp 0.107 <c>nn.init.normal_/uniform_</c> accept a
/// generator but ignore it (checked: two equal generators gave different draws).
/// </summary>
internal static class WeightInit
{
    public const string GlorotNormal = "glorot_normal";
    public const string GlorotUniform = "glorot_uniform";
    public const string HeNormal = "he_normal";
    public const string TorchDefault = "torch_default";
    /// <summary>The TensorFlow MNIST tutorial's: truncated normal (±2σ) with σ = 0.1, biases 0.1.</summary>
    public const string TruncatedNormal = "truncated_normal";

    public static readonly IReadOnlyList<string> Schemes = [GlorotNormal, GlorotUniform, HeNormal, TorchDefault, TruncatedNormal];

    /// <summary>
    /// Re-initialises a layer's weight and bias in place. Fan-in/out count the receptive field
    /// for convolutions (weight shape [out, in, kh, kw]) as PyTorch and Keras do.
    /// </summary>
    public static void Apply(string scheme, Tensor weight, Tensor? bias, Generator generator)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var receptive = weight.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        double fanIn = weight.shape[1] * receptive;
        double fanOut = weight.shape[0] * receptive;
        switch (scheme)
        {
            case GlorotNormal:
                weight.normal_(0, Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
                bias?.zero_();
                break;
            case GlorotUniform:
                var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
                weight.uniform_(-limit, limit, generator);
                bias?.zero_();
                break;
            case HeNormal:
                weight.normal_(0, Math.Sqrt(2.0 / fanIn), generator);
                bias?.zero_();
                break;
            case TorchDefault:
                // PyTorch's nn.Linear/Conv2d reset: kaiming_uniform(a = sqrt 5) reduces to U(±1/sqrt(fan_in)), bias likewise.
                var bound = 1.0 / Math.Sqrt(fanIn);
                weight.uniform_(-bound, bound, generator);
                bias?.uniform_(-bound, bound, generator);
                break;
            case TruncatedNormal:
                FillTruncatedNormal(weight, 0.1, generator);
                bias?.fill_(0.1);
                break;
            default:
                throw new ArgumentException($"Unknown init scheme '{scheme}'; allowed: {string.Join(", ", Schemes)}.", nameof(scheme));
        }
    }

    /// <summary>Normal(0, std) truncated at ±2 std, by inverting the CDF of a uniform draw (no rejection loop).</summary>
    private static void FillTruncatedNormal(Tensor weight, double std, Generator generator)
    {
        const double cdfAtMinus2 = 0.022750131948179195;
        var u = torch.empty_like(weight).uniform_(cdfAtMinus2, 1 - cdfAtMinus2, generator);
        var z = u.mul_(2).sub_(1).erfinv_().mul_(Math.Sqrt(2)).clamp_(-2, 2);
        weight.copy_(z.mul_(std));
    }
}
