using ProbeGrid.Analysis.Transport;

namespace ProbeGrid.Tests.Transport;

public class MultiLabelMetricsTests
{
    // Four samples, three classes. True sets: {0,1}, {1}, {2}, {0}.
    private static readonly float[] Targets = [1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0];

    // Scores; predicted sets at 0.5: {0,1} (right), {1,2} (FP 2), {} (FN 2), {0} (right).
    private static readonly float[] Scores = [0.9f, 0.8f, 0.1f, 0.3f, 0.7f, 0.6f, 0.2f, 0.1f, 0.4f, 0.6f, 0.45f, 0.2f];

    private static bool[] Predicted => MultiLabelMetrics.PredictedSets(Scores, 3, multiLabel: true);

    [Fact]
    public void Accuracy_is_the_share_of_exact_set_matches()
    {
        Assert.Equal(0.5, MultiLabelMetrics.Accuracy(Predicted, Targets, 3));
    }

    [Fact]
    public void Cf1_averages_the_per_class_f1_and_of1_pools_the_counts()
    {
        // Class 0: TP 2, FP 0, FN 0 → F1 1. Class 1: TP 2 → 1. Class 2: TP 0, FP 1, FN 1 → 0.
        Assert.Equal(2.0 / 3, MultiLabelMetrics.ClassF1(Predicted, Targets, 3), 1e-15);
        // Pooled: TP 4, FP 1, FN 1: OP = OR = 0.8, OF1 = 0.8.
        Assert.Equal(0.8, MultiLabelMetrics.OverallF1(Predicted, Targets, 3), 1e-15);
    }

    [Fact]
    public void Map_is_the_mean_over_classes_of_the_precision_at_each_positive()
    {
        // Class 0: scores 0.9 (+), 0.3, 0.2, 0.6 (+): ranked 0.9+, 0.6+ → AP 1.
        // Class 1: 0.8 (+), 0.7 (+), 0.1, 0.45: ranked 0.8+, 0.7+ → AP 1.
        // Class 2: 0.1, 0.6, 0.4 (+), 0.2: ranked 0.6, 0.4+ → precision 1/2 → AP 0.5.
        Assert.Equal(2.5 / 3, MultiLabelMetrics.MeanAveragePrecision(Scores, Targets, 3)!.Value, 1e-15);
    }

    // Scores rounded to quarters, with ties in every class and a sigmoid saturated at 1.0f: 8 samples, 3 classes.
    private static readonly float[] TiedScores =
    [
        1.0f, 0.25f, 0.5f, 0.75f, 0.25f, 1.0f, 1.0f, 0.5f, 0.5f, 0.5f, 0.25f, 1.0f,
        0.75f, 0.75f, 0.0f, 1.0f, 0.25f, 0.25f, 0.25f, 0.5f, 1.0f, 0.5f, 0.25f, 0.75f,
    ];

    private static readonly float[] TiedTargets = [1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 0];

    [Fact]
    public void Map_with_tied_scores_equals_scikit_learns_average_precision()
    {
        // scikit-learn 1.2.1: average_precision_score(Y, S, average="macro") on these arrays; per class 0.6261904761904762,
        // 0.5694444444444444, 0.8928571428571428.
        Assert.Equal(0.6961640211640212, MultiLabelMetrics.MeanAveragePrecision(TiedScores, TiedTargets, 3)!.Value, 1e-15);
        // scikit-learn: average_precision_score([1, 0, 0, 1], [0.5] * 4) = 0.5 (one threshold) and
        // average_precision_score([0, 1, 0, 1, 1], [1, 1, 0.5, 0.5, 0.25]) = 0.5333333333333333.
        Assert.Equal(0.5, MultiLabelMetrics.MeanAveragePrecision([0.5f, 0.5f, 0.5f, 0.5f], [1, 0, 0, 1], 1)!.Value, 1e-15);
        Assert.Equal(0.5333333333333333, MultiLabelMetrics.MeanAveragePrecision([1f, 1f, 0.5f, 0.5f, 0.25f], [0, 1, 0, 1, 1], 1)!.Value, 1e-15);
    }

    [Fact]
    public void Map_does_not_depend_on_the_order_of_the_samples()
    {
        var expected = MultiLabelMetrics.MeanAveragePrecision(TiedScores, TiedTargets, 3)!.Value;
        var random = new Random(11);
        for (var shuffle = 0; shuffle < 50; shuffle++)
        {
            var order = Enumerable.Range(0, 8).OrderBy(_ => random.Next()).ToArray();
            var scores = order.SelectMany(r => TiedScores.AsSpan(r * 3, 3).ToArray()).ToArray();
            var targets = order.SelectMany(r => TiedTargets.AsSpan(r * 3, 3).ToArray()).ToArray();
            Assert.Equal(expected, MultiLabelMetrics.MeanAveragePrecision(scores, targets, 3)!.Value, 1e-15);
        }
    }

    [Fact]
    public void Single_label_predictions_are_the_arg_max()
    {
        float[] scores = [0.2f, 0.7f, 0.1f, 0.5f, 0.3f, 0.2f];
        float[] targets = [0, 1, 0, 0, 0, 1];
        var predicted = MultiLabelMetrics.PredictedSets(scores, 3, multiLabel: false);
        Assert.Equal([false, true, false, true, false, false], predicted);
        Assert.Equal(0.5, MultiLabelMetrics.Accuracy(predicted, targets, 3));
    }

    [Fact]
    public void A_class_never_present_nor_predicted_is_left_out_and_no_positives_mean_no_map()
    {
        float[] targets = [1, 0, 0, 1, 0, 0];
        bool[] predicted = [true, false, false, true, false, false];
        Assert.Equal(1, MultiLabelMetrics.ClassF1(predicted, targets, 3));
        Assert.Null(MultiLabelMetrics.MeanAveragePrecision([0.5f, 0.5f, 0.5f], [0, 0, 0], 3));
    }
}
