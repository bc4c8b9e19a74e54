using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// Monte-Carlo estimates of E_δ ||h(x + σ∘δ) − f||², δ ~ N(0, I): the quantity both δ_f² (σ = √τ
/// everywhere) and the constraint (the learned σ) are made of. No autograd; draws come from the
/// given generator on the CPU and are moved to x's device, so a seed fixes them on any device.
/// </summary>
internal static class FeatureDeviation
{
    /// <param name="x">One sample with a batch dimension of 1: [1, ..input].</param>
    /// <param name="f">h(x): [1, ..feature].</param>
    /// <param name="sigma">Per-unit scales broadcastable to x (e.g. [1, ..input], or a scalar tensor).</param>
    public static double Mean(FeatureFunction h, Tensor x, Tensor f, Tensor sigma, int samples, int chunk, Generator generator)
    {
        using var noGrad = torch.no_grad();
        double sum = 0;
        for (var start = 0; start < samples; start += chunk)
        {
            using var scope = torch.NewDisposeScope();
            var count = Math.Min(chunk, samples - start);
            var delta = torch.randn([count, .. x.shape[1..]], dtype: x.dtype, generator: generator).to(x.device);
            var moved = h.Apply(x + sigma * delta);
            sum += (moved - f).pow(2).reshape(count, -1).sum(1).sum().to_type(ScalarType.Float64).item<double>();
        }
        return sum / samples;
    }
}
