using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;

namespace ProbeGrid.Analysis.Training;

/// <summary>
/// How often a model gets a sample right, in eval mode. Single-label data: the arg-max class is
/// the label. Multi-label data: the exact label set, every class with sigmoid(logit) &gt; 0.5
/// (logit &gt; 0) and no other (subset accuracy, the strictest of the multi-label accuracies).
/// </summary>
public static class ClassificationAccuracy
{
    /// <summary>The fraction of <paramref name="data"/> the model classifies right; the model's training flag is restored.</summary>
    public static double Of(TappedModel model, LabeledData data, int batchSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (data.Count == 0)
            throw new ArgumentException("accuracy of an empty data set is undefined.", nameof(data));
        return EvalModeSum.Over(model, data, batchSize, (logits, start, count) =>
        {
            var right = data.IsMultiLabel
                ? logits.gt(0).eq(data.TargetBatch(start, count).gt(0.5)).all(1)
                : logits.argmax(1).eq(data.LabelBatch(start, count));
            return right.sum().item<long>();
        }) / data.Count;
    }
}
