using ProbeGrid.Analysis.Transport;

namespace ProbeGrid.Tests.Transport;

public class EarlyExitTests
{
    // Three layers, three samples, two classes (multi-label).
    // Sample 0: confident at layer 0 ({0}: p = 0.95), wrong at the last layer.
    // Sample 1: uncertain at layers 0 and 1 (0.6 only), confident and right at the last.
    // Sample 2: layer 1 is confident about both labels ({0, 1} at 0.9).
    private static readonly float[][] Layers =
    [
        [0.95f, 0.1f, 0.6f, 0.1f, 0.2f, 0.3f],
        [0.7f, 0.2f, 0.6f, 0.2f, 0.9f, 0.92f],
        [0.2f, 0.8f, 0.9f, 0.1f, 0.9f, 0.95f],
    ];

    private static readonly float[] Targets = [1, 0, 1, 0, 1, 1];

    [Fact]
    public void Each_sample_exits_at_the_first_layer_whose_ratio_reaches_rho()
    {
        var d = EarlyExit.Decide(Layers, 2, multiLabel: true, s2: 0.85, rho: 1.0);
        // Sample 0: layer 0 has n = 1 (0.95), m = 1 → ρ_0 = 1 → exits at 0.
        // Sample 1: layer 0: n = 1 (0.6), m = 0 → 0; layer 1: same → the last layer.
        // Sample 2: layer 0: n = 0 → cannot exit; layer 1: n = 2, m = 2 → exits at 1.
        Assert.Equal([0, 2, 1], d.ExitLayer);
        Assert.Equal([true, false, true, false, true, true], d.Predicted);
        Assert.Equal(1.0, MultiLabelMetrics.Accuracy(d.Predicted, Targets, 2));
        // The last layer alone gets sample 0 wrong.
        Assert.Equal(2.0 / 3, MultiLabelMetrics.Accuracy(MultiLabelMetrics.PredictedSets(Layers[2], 2, true), Targets, 2), 1e-15);
    }

    [Fact]
    public void A_lower_rho_lets_a_partly_confident_layer_exit()
    {
        // Sample 2 at layer 1 with s2 = 0.91: n = 2, m = 1 → ρ_1 = 0.5.
        Assert.Equal(1, EarlyExit.Decide(Layers, 2, true, s2: 0.91, rho: 0.5).ExitLayer[2]);
        Assert.Equal(2, EarlyExit.Decide(Layers, 2, true, s2: 0.91, rho: 0.6).ExitLayer[2]);
    }

    [Fact]
    public void The_grid_spans_half_to_one_and_the_choice_is_the_best_validation_accuracy_strictest_on_ties()
    {
        Assert.Equal([0.5, 0.75, 1.0], EarlyExit.Grid(0.25));
        var choice = EarlyExit.Choose(Layers, Targets, 2, multiLabel: true, step: 0.05);
        Assert.Equal(1.0, choice.ValidationAccuracy);
        // Perfect needs sample 0 out at layer 0 (s2 < 0.95) and sample 1 kept to the end (s2 ≥ 0.6 or ρ > 0);
        // the strictest such pair: s2 = 0.9, ρ = 1.
        Assert.Equal(0.9, choice.S2, 1e-12);
        Assert.Equal(1.0, choice.Rho, 1e-12);
    }

    [Fact]
    public void With_s2_one_nothing_exits_early()
    {
        Assert.Equal([2, 2, 2], EarlyExit.Decide(Layers, 2, true, s2: 1.0, rho: 0.5).ExitLayer);
    }
}
