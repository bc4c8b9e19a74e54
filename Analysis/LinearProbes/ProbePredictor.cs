using ProbeGrid.Analysis.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// A trained probe's outputs on features: per-class sigmoid probabilities for a label-set probe,
/// the softmax row for a class probe. The Wasserstein analysis reads label distributions off these.
/// </summary>
public static class ProbePredictor
{
    private const int Chunk = 8192;

    /// <summary>Row-major [features.Rows, weights.Classes] probabilities.</summary>
    /// <exception cref="ArgumentException">The features' width differs from the probe's inputs.</exception>
    public static float[] Probabilities(FeatureMatrix features, ProbeWeights weights, bool multiLabel, Device? device = null)
    {
        if (features.Columns != weights.Inputs)
            throw new ArgumentException($"the probe takes {weights.Inputs} features but the matrix has {features.Columns} columns", nameof(features));
        device ??= CPU;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var w = torch.tensor(weights.Weights, [weights.Inputs, weights.Classes], device: device);
        var b = torch.tensor(weights.Bias, device: device);
        var result = new float[(long)features.Rows * weights.Classes];
        for (var start = 0; start < features.Rows; start += Chunk)
        {
            using var chunkScope = torch.NewDisposeScope();
            var count = Math.Min(Chunk, features.Rows - start);
            var x = torch.tensor(features.Data.AsSpan(start * features.Columns, count * features.Columns).ToArray(), [count, features.Columns], device: device);
            var logits = x.matmul(w).add_(b);
            using var p = (multiLabel ? logits.sigmoid() : logits.softmax(1)).cpu();
            p.data<float>().CopyTo(result.AsSpan(start * weights.Classes, count * weights.Classes));
        }
        return result;
    }
}
