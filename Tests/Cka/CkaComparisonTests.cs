using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Cka;

namespace ProbeGrid.Tests.Cka;

/// <summary>The layer x layer matrix of one checkpoint, all layers of two sets, and each layer against its counterpart.</summary>
public class CkaComparisonTests
{
    private static IReadOnlyList<FeatureMatrix> Network(Random random, FeatureMatrix input, params int[] widths) =>
        [.. widths.Select(w => CkaFeatures.Widened(input, CkaFeatures.Gaussian(random, input.Rows, w), 0.8f))];

    [Theory]
    [InlineData(HsicEstimator.Biased)]
    [InlineData(HsicEstimator.Debiased)]
    public void The_layer_matrix_is_symmetric_with_a_diagonal_of_exactly_1_and_each_entry_is_that_pairs_CKA(HsicEstimator estimator)
    {
        var random = new Random(11);
        var input = CkaFeatures.Gaussian(random, 24, 6);
        var layers = Network(random, input, 6, 18, 40); // 40 > 24 samples: one layer in Gram form
        var options = new CkaOptions { Estimator = estimator };
        var matrix = LinearCka.Layers(layers, options);
        Assert.Equal((3, 3), (matrix.Rows, matrix.Columns));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1.0, matrix[i, i]);
            for (var j = 0; j < 3; j++)
            {
                Assert.Equal(matrix[i, j], matrix[j, i]);
                if (i != j) Assert.Equal(LinearCka.Compute(layers[i], layers[j], options), matrix[i, j], 12);
            }
        }
        // The layers share the input, so they are alike but not identical.
        Assert.All(matrix.Values.Where(v => v != 1.0), v => Assert.InRange(v, 0.2, 0.99));
    }

    [Fact]
    public void Between_two_sets_is_every_pair_and_same_layer_is_its_diagonal()
    {
        var random = new Random(12);
        var input = CkaFeatures.Gaussian(random, 30, 5);
        var first = Network(random, input, 5, 12, 45);
        var second = Network(random, input, 8, 12, 35);
        var between = LinearCka.Between(first, second);
        Assert.Equal((3, 3), (between.Rows, between.Columns));
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                Assert.Equal(LinearCka.Compute(first[i], second[j]), between[i, j], 12);
        // Swapping the sets transposes the matrix.
        var swapped = LinearCka.Between(second, first);
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                Assert.Equal(between[i, j], swapped[j, i], 12);
        var same = LinearCka.SameLayer(first, second);
        Assert.Equal(Enumerable.Range(0, 3).Select(l => between[l, l]), same, new Tolerance(1e-12));
        // A set against itself: every layer has CKA 1 with itself.
        Assert.Equal([1.0, 1.0, 1.0], LinearCka.SameLayer(first, first), new Tolerance(1e-12));
    }

    [Fact]
    public void A_constant_layer_has_no_CKA_and_says_so_with_NaN()
    {
        var random = new Random(13);
        var constant = new FeatureMatrix([.. Enumerable.Repeat(2.5f, 20 * 3)], 20, 3);
        var matrix = LinearCka.Layers([CkaFeatures.Gaussian(random, 20, 4), constant]);
        Assert.Equal(1.0, matrix[0, 0]);
        Assert.True(double.IsNaN(matrix[1, 1]) && double.IsNaN(matrix[0, 1]) && double.IsNaN(matrix[1, 0]));
    }

    [Fact]
    public void Representations_of_different_samples_are_refused_naming_the_row_counts()
    {
        var random = new Random(14);
        var error = Assert.Throws<ArgumentException>(() =>
            LinearCka.Layers([CkaFeatures.Gaussian(random, 20, 4), CkaFeatures.Gaussian(random, 20, 4), CkaFeatures.Gaussian(random, 19, 4)]));
        Assert.Contains("representation 2 has 19", error.Message);
        var tooFew = Assert.Throws<ArgumentException>(() =>
            LinearCka.Compute(CkaFeatures.Gaussian(random, 3, 2), CkaFeatures.Gaussian(random, 3, 2), new CkaOptions { Estimator = HsicEstimator.Debiased }));
        Assert.Contains("needs at least 4", tooFew.Message);
    }
}
