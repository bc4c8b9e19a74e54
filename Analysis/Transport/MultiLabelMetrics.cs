namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// Accuracy, per-class F1 (CF1), overall F1 (OF1) and mean average precision (mAP) of label-set
/// predictions, as the Wasserstein paper evaluates multi-label classification. Single-label
/// data is the special case of one-label sets, predicted by the arg max.
/// </summary>
public static class MultiLabelMetrics
{
    /// <summary>s1 of Algorithm 3: a sigmoid output above it puts its label in the predicted set.</summary>
    public const double SetThreshold = 0.5;

    /// <summary>The predicted label sets, row-major [N, K]: {p &gt; 0.5} for multi-label, {arg max p} for single-label.</summary>
    public static bool[] PredictedSets(ReadOnlySpan<float> scores, int classCount, bool multiLabel)
    {
        var sets = new bool[scores.Length];
        for (var r = 0; r < scores.Length / classCount; r++)
            PredictRow(scores.Slice(r * classCount, classCount), sets.AsSpan(r * classCount, classCount), multiLabel);
        return sets;
    }

    public static void PredictRow(ReadOnlySpan<float> scores, Span<bool> set, bool multiLabel)
    {
        if (multiLabel)
        {
            for (var c = 0; c < scores.Length; c++) set[c] = scores[c] > SetThreshold;
            return;
        }
        var best = 0;
        for (var c = 1; c < scores.Length; c++) if (scores[c] > scores[best]) best = c;
        set.Clear();
        set[best] = true;
    }

    public static ClassificationScores Evaluate(ReadOnlySpan<bool> predicted, ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, int classCount) =>
        new(Accuracy(predicted, targets, classCount), ClassF1(predicted, targets, classCount), OverallF1(predicted, targets, classCount),
            MeanAveragePrecision(scores, targets, classCount));

    /// <summary>The share of samples whose predicted set equals the true set in every class.</summary>
    public static double Accuracy(ReadOnlySpan<bool> predicted, ReadOnlySpan<float> targets, int classCount)
    {
        var rows = targets.Length / classCount;
        var right = 0;
        for (var r = 0; r < rows; r++)
        {
            var match = true;
            for (var c = 0; c < classCount && match; c++) match = predicted[r * classCount + c] == targets[r * classCount + c] > 0.5f;
            if (match) right++;
        }
        return rows == 0 ? 0 : (double)right / rows;
    }

    /// <summary>
    /// CF1: the mean over classes of F1_c = 2·TP/(2·TP + FP + FN) (the paper: "the average of the
    /// F1 score of each class"). A class with TP + FP + FN = 0 (never present, never predicted) has
    /// no F1 and is left out; when every class is, the predictions are perfect and CF1 is 1.
    /// </summary>
    public static double ClassF1(ReadOnlySpan<bool> predicted, ReadOnlySpan<float> targets, int classCount)
    {
        var (tp, fp, fn) = Counts(predicted, targets, classCount);
        var scores = Enumerable.Range(0, classCount).Where(c => tp[c] + fp[c] + fn[c] > 0)
            .Select(c => 2.0 * tp[c] / (2.0 * tp[c] + fp[c] + fn[c])).ToList();
        return scores.Count == 0 ? 1 : scores.Average();
    }

    /// <summary>OF1 = 2·OP·OR/(OP + OR), OP = ΣTP/Σ(TP + FP), OR = ΣTP/Σ(TP + FN) over all classes (0 when nothing is right, 1 when nothing is present or predicted).</summary>
    public static double OverallF1(ReadOnlySpan<bool> predicted, ReadOnlySpan<float> targets, int classCount)
    {
        var (tp, fp, fn) = Counts(predicted, targets, classCount);
        double truePositives = tp.Sum(), falsePositives = fp.Sum(), falseNegatives = fn.Sum();
        if (truePositives + falsePositives + falseNegatives == 0) return 1;
        if (truePositives == 0) return 0;
        var precision = truePositives / (truePositives + falsePositives);
        var recall = truePositives / (truePositives + falseNegatives);
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>
    /// mAP: the mean over classes with at least one positive of AP_c = Σ_n (R_n − R_{n−1})·P_n over the
    /// distinct scores n in descending order, as scikit-learn's average_precision_score: samples with
    /// equal scores form one threshold (saturated sigmoids tie at 1.0f), so the samples' order cannot
    /// change the result. Null when no class has a positive.
    /// </summary>
    public static double? MeanAveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<float> targets, int classCount)
    {
        var rows = targets.Length / classCount;
        var precisions = new List<double>();
        var order = new int[rows];
        var column = new float[rows];
        for (var c = 0; c < classCount; c++)
        {
            var total = 0;
            for (var r = 0; r < rows; r++)
            {
                order[r] = r;
                column[r] = scores[r * classCount + c];
                if (targets[r * classCount + c] > 0.5f) total++;
            }
            if (total == 0) continue;
            var ranked = order.OrderByDescending(r => column[r]).ToArray();
            int positives = 0, seen = 0;
            double sum = 0;
            for (var start = 0; start < rows;)
            {
                // One threshold per distinct score: the whole group enters before precision is read.
                var groupPositives = 0;
                var end = start;
                for (; end < rows && column[ranked[end]] == column[ranked[start]]; end++)
                    if (targets[ranked[end] * classCount + c] > 0.5f) groupPositives++;
                seen += end - start;
                positives += groupPositives;
                sum += groupPositives * ((double)positives / seen);
                start = end;
            }
            precisions.Add(sum / total);
        }
        return precisions.Count == 0 ? null : precisions.Average();
    }

    private static (int[] TruePositives, int[] FalsePositives, int[] FalseNegatives) Counts(ReadOnlySpan<bool> predicted, ReadOnlySpan<float> targets, int classCount)
    {
        var (tp, fp, fn) = (new int[classCount], new int[classCount], new int[classCount]);
        for (var i = 0; i < targets.Length; i++)
        {
            var c = i % classCount;
            var actual = targets[i] > 0.5f;
            if (predicted[i] && actual) tp[c]++;
            else if (predicted[i]) fp[c]++;
            else if (actual) fn[c]++;
        }
        return (tp, fp, fn);
    }
}
