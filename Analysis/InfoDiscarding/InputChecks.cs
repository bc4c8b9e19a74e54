using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>What every estimate asks of its one input sample, and h(x) with a clear error when h rejects it.</summary>
internal static class InputChecks
{
    public static List<string> Problems(Tensor? x)
    {
        var problems = new List<string>();
        if (x is null)
        {
            problems.Add("x is null: give one input sample (without the batch dimension)");
            return problems;
        }
        if (!x.is_floating_point()) problems.Add($"x must be floating point, got {x.dtype}");
        else if (x.numel() == 0) problems.Add("x is empty: give one input sample (without the batch dimension)");
        else
        {
            using var noGrad = torch.no_grad();
            using var finite = x.isfinite().all();
            if (!finite.item<bool>()) problems.Add("x has NaN or infinite values");
        }
        return problems;
    }

    /// <summary>
    /// h of a batch, detached; a managed failure of h becomes an ArgumentException naming the shape it was given.
    /// (A native libtorch error may not reach managed code on every runtime: callers should give x the network's input shape.)
    /// </summary>
    public static Tensor FeatureOf(FeatureFunction h, Tensor batch)
    {
        using var noGrad = torch.no_grad();
        try
        {
            return h.Apply(batch).detach();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ArgumentException($"the feature '{h.Name}' failed on a batch of shape [{string.Join(", ", batch.shape)}]: {e.Message}. " +
                                        "Give x as one sample without the batch dimension, shaped as the network's input.", e);
        }
    }
}
