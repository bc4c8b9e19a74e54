using ProbeGrid.Analysis.Transport;

namespace ProbeGrid.Tests.Transport;

public class DistributionDistancesTests
{
    [Fact]
    public void Kl_js_and_chebyshev_match_their_closed_forms()
    {
        double[] mu = [0.5, 0.5, 0.0], muHat = [0.25, 0.25, 0.5];
        // KL(μ‖μ̂) = 2 · 0.5 · ln(0.5 / 0.25) = ln 2.
        Assert.Equal(Math.Log(2), DistributionDistances.KullbackLeibler(mu, muHat), 1e-15);
        // m = (0.375, 0.375, 0.25): JS = ½ Σ μ ln(μ/m) + ½ Σ μ̂ ln(μ̂/m) = ½ ln(4/3) + ½ (0.5 ln(2/3) + 0.5 ln 2).
        var expected = 0.5 * Math.Log(4.0 / 3) + 0.5 * (0.5 * Math.Log(2.0 / 3) + 0.5 * Math.Log(2));
        Assert.Equal(expected, DistributionDistances.JensenShannon(mu, muHat), 1e-15);
        Assert.Equal(0.5, DistributionDistances.Chebyshev(mu, muHat), 1e-15);
    }

    [Fact]
    public void Disjoint_supports_give_js_ln2_and_a_finite_kl_at_the_floor()
    {
        double[] mu = [1, 0], muHat = [0, 1];
        Assert.Equal(Math.Log(2), DistributionDistances.JensenShannon(mu, muHat), 1e-15);
        Assert.Equal(-Math.Log(DistributionDistances.KlFloor), DistributionDistances.KullbackLeibler(mu, muHat), 1e-9);
        Assert.Equal(1, DistributionDistances.Chebyshev(mu, muHat));
    }

    [Fact]
    public void Identical_distributions_are_at_distance_zero()
    {
        double[] p = [0.2, 0.3, 0.5];
        Assert.Equal(0, DistributionDistances.KullbackLeibler(p, p), 1e-15);
        Assert.Equal(0, DistributionDistances.JensenShannon(p, p), 1e-15);
        Assert.Equal(0, DistributionDistances.Chebyshev(p, p));
    }

    [Fact]
    public void Rows_without_mass_are_marked_invalid_not_divided_by_zero()
    {
        var (rows, valid) = LabelDistributions.Normalise([1f, 1f, 0f, 0f, 0f, 0f, 0f, 2f, 2f], 3);
        Assert.Equal([true, false, true], valid);
        Assert.Equal([0.5, 0.5, 0, 0, 0, 0, 0, 0.5, 0.5], rows);
    }
}
