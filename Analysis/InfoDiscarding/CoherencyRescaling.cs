using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// The paper's coherency check as a change of a trained network's weights: layer L's weight and bias
/// divided by k, the next layer's weight multiplied by k (its bias kept). Where only positively
/// homogeneous operations lie between the two (ReLU, max or average pooling, flattening; no batch
/// norm, which would undo the division), the network computes the same function while L's feature is
/// scaled by 1/k: SID and RU must not change, gradient saliency does.
/// </summary>
public static class CoherencyRescaling
{
    /// <param name="layer">The module whose output is scaled, e.g. "conv1" (its parameters are "conv1.weight" and "conv1.bias").</param>
    /// <param name="next">The module that reads it and compensates, e.g. "conv2".</param>
    /// <exception cref="ArgumentException">Missing parameters, channel counts that do not chain, or a bad factor; all listed with the known names.</exception>
    public static void Apply(nn.Module model, string layer, string next, double factor)
    {
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var problems = new List<string>();
        if (!(factor > 0 && double.IsFinite(factor))) problems.Add($"the factor {factor} must be a positive number (the paper's 4)");
        if (layer == next) problems.Add($"the layer and the next layer are both '{layer}': name two neighbouring layers");
        var weight = parameters.GetValueOrDefault($"{layer}.weight");
        var nextWeight = parameters.GetValueOrDefault($"{next}.weight");
        foreach (var (name, value) in new[] { (layer, weight), (next, nextWeight) })
            if (value is null)
                problems.Add($"the network has no parameter '{name}.weight'; layers with weights: {string.Join(", ", parameters.Keys.Where(k => k.EndsWith(".weight", StringComparison.Ordinal)).Select(k => k[..^".weight".Length]))}");
        if (weight is not null && nextWeight is not null && (nextWeight.dim() < 2 || nextWeight.shape[1] % weight.shape[0] != 0))
            problems.Add($"'{next}' reads {(nextWeight.dim() < 2 ? "no" : nextWeight.shape[1].ToString())} inputs, not a multiple of the {weight.shape[0]} outputs of '{layer}': name the layer that reads '{layer}'");
        if (problems.Count > 0) throw new ArgumentException("coherency rescaling: " + string.Join("; ", problems));

        using var noGrad = torch.no_grad();
        weight!.div_(factor);
        parameters.GetValueOrDefault($"{layer}.bias")?.div_(factor);
        nextWeight!.mul_(factor);
    }
}
