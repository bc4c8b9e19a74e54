using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// The gradient-saliency baseline the paper contrasts SID and RU with: |∂ Σ_j h_j(x) / ∂x_i| per input
/// unit. It scales with the feature's magnitude, so rescaling a layer's weights (which leaves the
/// network's knowledge unchanged) rescales it: the incoherence the paper's Fig. 1 shows.
/// </summary>
public static class GradientSaliency
{
    /// <param name="x">One input sample, without the batch dimension.</param>
    /// <returns>The saliency of every input unit, row-major.</returns>
    /// <exception cref="ArgumentException">A bad input, all problems listed.</exception>
    public static float[] OfInput(FeatureFunction h, Tensor x)
    {
        var problems = InputChecks.Problems(x);
        if (problems.Count > 0) throw new ArgumentException("gradient saliency: " + string.Join("; ", problems));
        using var scope = torch.NewDisposeScope();
        using var enable = torch.enable_grad();
        var input = x.detach().unsqueeze(0).clone().requires_grad_(true);
        var total = h.Apply(input).sum();
        // Gradient on the input alone: the network's parameters get no .grad.
        var gradient = torch.autograd.grad([total], [input])[0];
        return gradient.abs().to_type(ScalarType.Float32).cpu().data<float>().ToArray();
    }
}
