using ProbeGrid.Analysis.Complexity;

namespace ProbeGrid.Tests.Complexity;

public class FeatureComponentsTests
{
    [Fact]
    public void Components_and_the_remainder_sum_back_to_the_feature()
    {
        var random = new Random(1);
        const int samples = 50, dims = 4;
        float[] Random() => Enumerable.Range(0, samples * dims).Select(_ => (float)random.NextDouble()).ToArray();
        var f = Random();
        var parts = FeatureComponents.Decompose(f, samples, [(1, Random()), (4, Random()), (7, Random())]);
        Assert.Equal([1, 4, 7], parts.Orders);
        Assert.Equal(f, parts.Reconstruct(), new Tolerance(1e-5));
    }

    [Fact]
    public void Significance_is_each_components_variance_over_the_features()
    {
        // Two samples in one dimension: f = (−3, 3), Var f = 9. Φ^(1) = (−1, 1) (Var 1); Φ^(4) = (−2, 2), so c^(4) = (−1, 1) (Var 1).
        var parts = FeatureComponents.Decompose([-3, 3], 2, [(1, [-1, 1]), (4, [-2, 2])]);
        Assert.Equal([1.0 / 9, 1.0 / 9], parts.Significance(), new Tolerance(1e-12));
        Assert.Equal([-1f, 1f], parts.Remainder);
        // A mimic that is exact at the lowest order leaves nothing for the higher ones.
        var exact = FeatureComponents.Decompose([1, 2, 3, 4], 4, [(1, [1, 2, 3, 4]), (4, [1, 2, 3, 4])]);
        Assert.Equal([1.0, 0.0], exact.Significance(), new Tolerance(1e-12));
    }

    [Fact]
    public void Variance_is_the_mean_squared_distance_to_the_mean_vector()
    {
        // Samples (0, 0), (2, 0), (0, 2), (2, 2): mean (1, 1), every sample at squared distance 2.
        Assert.Equal(2.0, FeatureComponents.Variance([0, 0, 2, 0, 0, 2, 2, 2], 4, 2), 12);
    }

    [Fact]
    public void Bad_inputs_name_the_cause()
    {
        var e = Assert.Throws<ArgumentException>(() => FeatureComponents.Decompose([1, 2], 2, [(4, [1, 2]), (1, [float.NaN, 2]), (7, [1])]));
        Assert.Contains("orders must increase: 4 then 1", e.Message);
        Assert.Contains("Φ^(1) has NaN or infinite values", e.Message);
        Assert.Contains("Φ^(7) has 1 values but the feature has 2", e.Message);
    }
}
