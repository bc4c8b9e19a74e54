using ProbeGrid.Analysis.Complexity;

namespace ProbeGrid.Tests.Complexity;

public class FeatureReliabilityTests
{
    [Fact]
    public void The_ratio_is_the_variance_of_the_reliable_part_over_that_of_the_mimic()
    {
        // Φ rows (1, 2), (3, 4), (5, 12): column means 3 and 6, squared deviations 4 + 0 + 4 = 8 and 16 + 4 + 36 = 56,
        // so Var[Φ] = E‖Φ − EΦ‖² = 64 / 3.
        float[] mimic = [1, 2, 3, 4, 5, 12];
        // Half of Φ plus a constant: a quarter of its variance, whatever the variance is.
        float[] half = mimic.Select(v => v / 2 + 7).ToArray();
        Assert.Equal(0.25, FeatureReliability.Ratio(half, mimic, 3), 12);
        Assert.Equal(1.0, FeatureReliability.Ratio(mimic, mimic, 3), 12);
        // A reliable part that keeps only the second dimension: 56 / 64.
        float[] secondOnly = [0, 2, 0, 4, 0, 12];
        Assert.Equal(56.0 / 64, FeatureReliability.Ratio(secondOnly, mimic, 3), 12);
    }

    [Fact]
    public void Mismatched_sets_and_orders_are_refused_with_the_fix()
    {
        var e = Assert.Throws<ArgumentException>(() => FeatureReliability.Ratio(new float[4], new float[6], 3));
        Assert.Contains("Φ_reliable has 4 values but Φ^(l) has 6: evaluate both on the same samples", e.Message);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => FeatureReliability.Ratio(new float[2], new float[2], 1)).Message);

        var reliable = new[] { new ReliabilityTrainer.Fit(4, 0, 0, new Dictionary<string, float[]> { ["test"] = new float[4] }) };
        var ordinary = new[] { new DisentanglerTrainer.Fit(1, 0, new Dictionary<string, float[]> { ["test"] = new float[4] }) };
        Assert.Contains("no Φ^(l) for order(s) 4: train the ordinary disentanglers with the same orders",
            Assert.Throws<ArgumentException>(() => FeatureReliability.Ratios(reliable, ordinary, "test", 2)).Message);
    }
}
