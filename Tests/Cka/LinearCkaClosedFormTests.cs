using ProbeGrid.Analysis.Cka;

namespace ProbeGrid.Tests.Cka;

public class LinearCkaClosedFormTests
{
    private static readonly CkaOptions Debiased = new() { Estimator = HsicEstimator.Debiased };

    [Fact]
    public void A_hand_computed_four_by_three_example_gives_root_35_over_7_and_debiased_minus_2_over_root_7()
    {
        // X (4x3) has column means (1, 1, 1): Xc = [[0,-1,1],[2,0,-1],[-1,1,0],[-1,0,0]].
        // Y (4x2) has column means (1, 1):    Yc = [[0,1],[1,-1],[-1,0],[0,0]].
        // Ycᵀ Xc = [[3,-1,-1],[-2,-1,2]]: ||·||² = 9+1+1+4+1+4 = 20.
        // Xcᵀ Xc = [[6,-1,-2],[-1,2,-1],[-2,-1,2]]: ||·||² = 36+4+4 + 2(1+4+1) = 56.  Ycᵀ Yc = [[2,-1],[-1,2]]: ||·||² = 10.
        // Biased CKA = 20 / √(56·10) = 20 / (4√35) = √35 / 7.
        // Debiased (n = 4): row norms a = (2,5,2,1), Σa = 10; b = (1,2,1,0), Σb = 4; a·b = 14, a·a = 34, b·b = 6.
        // n(n−3)·HSIC₁ = ⟨K,L⟩ − n/(n−2)·a·b + ΣaΣb/((n−1)(n−2)): XY 20 − 28 + 40/6 = −4/3; XX 56 − 68 + 100/6 = 14/3;
        // YY 10 − 12 + 16/6 = 2/3.  CKA = (−4/3) / √(28/9) = −2/√7.
        var x = CkaFeatures.FromRows(new float[,] { { 1, 0, 2 }, { 3, 1, 0 }, { 0, 2, 1 }, { 0, 1, 1 } });
        var y = CkaFeatures.FromRows(new float[,] { { 1, 2 }, { 2, 0 }, { 0, 1 }, { 1, 1 } });
        Assert.Equal(Math.Sqrt(35) / 7, LinearCka.Compute(x, y), 14);
        Assert.Equal(-2 / Math.Sqrt(7), LinearCka.Compute(x, y, Debiased), 14);
    }

    [Theory]
    [InlineData(50, 6)]  // p < n: feature-space form
    [InlineData(10, 30)] // p > n: the n x n Gram form
    public void An_orthogonal_transform_of_either_side_leaves_CKA_unchanged(int rows, int columns)
    {
        var random = new Random(7);
        var x = CkaFeatures.Gaussian(random, rows, columns);
        var y = CkaFeatures.Gaussian(random, rows, 4);
        var v = Enumerable.Range(0, columns).Select(_ => random.NextDouble() - 0.5).ToArray();
        var rotated = CkaFeatures.Reflected(x, v);
        foreach (var options in new[] { new CkaOptions(), Debiased })
        {
            // 1e-6: X Q is rounded to float32 on the way in.
            Assert.Equal(1.0, LinearCka.Compute(x, rotated, options), 6);
            Assert.Equal(LinearCka.Compute(x, y, options), LinearCka.Compute(rotated, y, options), 6);
        }
    }

    [Fact]
    public void Scaling_and_offsetting_the_features_leaves_CKA_at_1()
    {
        var random = new Random(8);
        var x = CkaFeatures.Gaussian(random, 40, 7);
        var offset = Enumerable.Range(0, 7).Select(j => (float)(20 * j - 50)).ToArray();
        var moved = CkaFeatures.Affine(x, 3.5f, offset);
        Assert.Equal(1.0, LinearCka.Compute(x, moved), 6);
        Assert.Equal(1.0, LinearCka.Compute(x, moved, Debiased), 6);
        // Not a tautology: a different representation of the same samples scores well below 1.
        Assert.True(LinearCka.Compute(x, CkaFeatures.Gaussian(random, 40, 7)) < 0.6);
    }

    [Fact]
    public void CKA_is_symmetric_in_its_two_arguments()
    {
        var random = new Random(9);
        var x = CkaFeatures.Gaussian(random, 30, 5);
        var y = CkaFeatures.Widened(x, CkaFeatures.Gaussian(random, 30, 45), 0.5f);
        foreach (var options in new[] { new CkaOptions(), Debiased })
            Assert.Equal(LinearCka.Compute(x, y, options), LinearCka.Compute(y, x, options), 12);
    }

    [Fact]
    public void Independent_gaussian_features_score_what_the_sample_size_predicts_and_debiased_near_0()
    {
        // Centred, n i.i.d. isotropic Gaussian samples act as n' = n − 1 independent ones, with E||YᵀX||² = n'p₁p₂ and
        // E||XᵀX||² = n'p₁(n' + p₁ + 1). The ratio of expectations predicts biased CKA ≈ √(p₁p₂ / ((n'+p₁+1)(n'+p₂+1))).
        // For n = 200, p₁ = 20, p₂ = 30 that is 0.10889; a numpy simulation of 2000 draws gave mean 0.10890, sd 0.0062
        // per draw, and debiased mean −0.00007, sd 0.0070. Over 20 draws the means' sds are 0.0014 and 0.0016: ~4 sd below.
        const int n = 200, p1 = 20, p2 = 30, draws = 20;
        var random = new Random(10);
        double biased = 0, debiased = 0;
        for (var d = 0; d < draws; d++)
        {
            var x = CkaFeatures.Gaussian(random, n, p1);
            var y = CkaFeatures.Gaussian(random, n, p2);
            biased += LinearCka.Compute(x, y) / draws;
            debiased += LinearCka.Compute(x, y, Debiased) / draws;
        }
        var predicted = Math.Sqrt(p1 * p2 / ((n - 1.0 + p1 + 1) * (n - 1.0 + p2 + 1)));
        Assert.Equal(0.10889, predicted, 5);
        Assert.InRange(biased, predicted - 0.006, predicted + 0.006);
        Assert.InRange(debiased, -0.007, 0.007);
    }
}
