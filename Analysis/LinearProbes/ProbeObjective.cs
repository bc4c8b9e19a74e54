using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// The loss and error of a probe's logits against its targets. Class indices (int64) mean a
/// softmax probe: cross-entropy, error = wrong argmax. Label sets (float 0/1 rows) mean a
/// sigmoid probe: binary cross-entropy averaged over samples and classes, error = the predicted
/// set {p &gt; 0.5} differs from the true set in any class.
/// </summary>
internal static class ProbeObjective
{
    public static bool IsMultiLabel(Tensor labels) => labels.dtype != ScalarType.Int64;

    /// <summary>Mean loss over the batch, for autograd.</summary>
    public static Tensor Loss(Tensor logits, Tensor labels) => IsMultiLabel(labels)
        ? nn.functional.binary_cross_entropy_with_logits(logits, labels)
        : nn.functional.cross_entropy(logits, labels);

    /// <summary>Summed per-sample loss and the count of wrong samples (no autograd).</summary>
    public static (double LossSum, long Wrong) SumLossAndErrors(Tensor logits, Tensor labels)
    {
        if (!IsMultiLabel(labels))
            return (nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>(),
                    logits.argmax(1).ne(labels).sum().item<long>());
        // Per sample the mean over classes, so a sample's loss is on the scale of Loss above.
        var perSample = nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction: nn.Reduction.None).mean([1]);
        var wrong = logits.gt(0).ne(labels.gt(0.5)).any(1).sum().item<long>();
        return (perSample.sum().item<float>(), wrong);
    }
}
