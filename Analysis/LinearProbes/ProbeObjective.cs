using ProbeGrid.Analysis.Zoo;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// The loss and error of a probe's logits against its targets. The loss is the networks' own task
/// objective (<see cref="TappedModel.Objective"/>): cross-entropy for class indices (a softmax probe),
/// binary cross-entropy averaged over samples and classes for label sets (a sigmoid probe). The error
/// is a wrong arg max, or a predicted set {p &gt; 0.5} that differs from the true set in any class.
/// </summary>
internal static class ProbeObjective
{
    /// <summary>Summed per-sample loss and the count of wrong samples (no autograd).</summary>
    public static (double LossSum, long Wrong) SumLossAndErrors(Tensor logits, Tensor labels)
    {
        using var perSample = TappedModel.PerSampleObjective(logits, labels);
        using var wrong = labels.is_floating_point()
            ? logits.gt(0).ne(labels.gt(0.5)).any(1)
            : logits.argmax(1).ne(labels);
        return (perSample.sum().item<float>(), wrong.sum().item<long>());
    }
}
