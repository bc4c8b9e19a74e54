using ProbeGrid.Analysis.Complexity;

namespace ProbeGrid.Tests.Complexity;

public class FeatureScalingTests
{
    [Fact]
    public void Channels_are_centred_one_scale_divides_them_and_restore_inverts_it()
    {
        // 2 samples x 2 channels x 2 positions; channel means 2 and 10, centred values ±1 and ±3.
        float[] feature = [1, 3, 7, 13, 3, 1, 13, 7];
        var scaling = FeatureScaling.Of(feature, 2, [2, 1, 2]);
        Assert.Equal(Math.Sqrt((4 * 1 + 4 * 9) / 8.0), scaling.Scale, 1e-12);
        var standardized = scaling.Standardize(feature);
        Assert.Equal(-1 / scaling.Scale, standardized[0], 1e-6);
        Assert.Equal(3 / scaling.Scale, standardized[3], 1e-6);
        Assert.Equal(0, standardized.Average(), 1e-6);
        Assert.Equal(1, Math.Sqrt(standardized.Average(v => v * v)), 1e-6);
        Assert.Equal(feature, scaling.Restore(standardized).Select(v => (float)Math.Round(v, 4)));
    }

    [Fact]
    public void A_constant_feature_keeps_scale_one()
    {
        var scaling = FeatureScaling.Of([5, 5, 5, 5], 2, [1, 2]);
        Assert.Equal(1, scaling.Scale);
        Assert.Equal([0f, 0f, 0f, 0f], scaling.Standardize([5, 5, 5, 5]));
    }
}
