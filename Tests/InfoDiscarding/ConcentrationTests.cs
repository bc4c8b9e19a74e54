using ProbeGrid.Analysis.InfoDiscarding;

namespace ProbeGrid.Tests.InfoDiscarding;

public class ConcentrationTests
{
    [Fact]
    public void Concentration_is_the_background_mean_minus_the_object_mean()
    {
        // A 3x3 map whose centre (Λ) keeps its information (low H) and whose border discards it (high H).
        double[] h = [4, 5, 6, 4, -1, 5, 6, 5, 4];
        bool[] mask = [false, false, false, false, true, false, false, false, false];
        Assert.Equal(39.0 / 8 - (-1), Concentration.Of(h, mask), 1e-12);
        // Swapping the roles flips the sign.
        Assert.Equal(-(39.0 / 8 + 1), Concentration.Of(h, mask.Select(m => !m).ToArray()), 1e-12);
        // A uniform map is not concentrated.
        Assert.Equal(0, Concentration.Of([2, 2, 2, 2], [true, false, true, false]), 1e-12);
    }

    [Fact]
    public void Bad_masks_are_listed_together()
    {
        var e = Assert.Throws<ArgumentException>(() => Concentration.Of([1, double.NaN, 3], [true, true]));
        Assert.Contains("the mask has 2 units, the entropy map 3", e.Message);
        Assert.Contains("covers every unit", e.Message);
        Assert.Contains("NaN", e.Message);
        Assert.Contains("is empty", Assert.Throws<ArgumentException>(() => Concentration.Of([1, 2], [false, false])).Message);
    }
}
