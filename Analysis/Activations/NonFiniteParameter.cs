using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// The first parameter or buffer of a network (in its state_dict order, so the shallowest) that holds NaN
/// or infinity, with the flat index of its first such element: what a non-finite tap is most likely caused by.
/// </summary>
public sealed record NonFiniteParameter(string Name, long Element, float Value)
{
    /// <summary>The first non-finite parameter or buffer of <paramref name="model"/>; null when every one is finite.</summary>
    public static NonFiniteParameter? FirstIn(nn.Module model)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (!tensor.is_floating_point()) continue;
            var flat = tensor.flatten();
            var bad = flat.isfinite().logical_not().nonzero();
            if (bad.shape[0] == 0) continue;
            var element = bad[0][0].item<long>();
            return new NonFiniteParameter(name, element, flat[element].to(ScalarType.Float32).cpu().item<float>());
        }
        return null;
    }

    /// <summary>"NaN", "+infinity" or "-infinity".</summary>
    public static string Describe(float value) =>
        float.IsNaN(value) ? "NaN" : float.IsPositiveInfinity(value) ? "+infinity" : float.IsNegativeInfinity(value) ? "-infinity" : value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
