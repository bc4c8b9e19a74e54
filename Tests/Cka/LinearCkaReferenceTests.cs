using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Cka;

namespace ProbeGrid.Tests.Cka;

/// <summary>
/// Values from a numpy peer run once and hard-coded: Kornblith et al.'s reference code (gram_linear, center_gram with
/// and without unbiased=True, cka) on n x n Grams, and Song et al.'s HSIC_1 on uncentred Grams for the minibatches —
/// none of the feature-space shortcuts used here. The inputs, in numpy (lcg as in <see cref="CkaFeatures.Lcg"/>):
/// A = lcg(1, 12, 5); B[i, j] = A[i, j % 5] + lcg(2, 12, 8)[i, j] / 2; C[i, j] = A[i, j % 5] + lcg(3, 12, 20)[i, j].
/// C has 20 features for 12 samples (Gram form); in batches of 6, B is too (mixed pairs with A).
/// </summary>
public class LinearCkaReferenceTests
{
    private static IReadOnlyList<FeatureMatrix> Layers()
    {
        var a = CkaFeatures.Lcg(1, 12, 5);
        return [a, CkaFeatures.Widened(a, CkaFeatures.Lcg(2, 12, 8), 0.5f), CkaFeatures.Widened(a, CkaFeatures.Lcg(3, 12, 20), 1f)];
    }

    [Fact]
    public void The_generator_matches_the_numpy_peer()
    {
        // numpy's A[0, :3] * 256 and A[1, 0] * 256.
        var a = CkaFeatures.Lcg(1, 12, 5);
        Assert.Equal(new float[] { -416, 455, 374, -356 }, new[] { a.Data[0], a.Data[1], a.Data[2], a.Data[5] }.Select(v => v * 256));
    }

    [Theory]
    [InlineData(HsicEstimator.Biased, 0.911519424461804, 0.840870711057269, 0.799408794689045)]
    [InlineData(HsicEstimator.Debiased, 0.863891379185469, 0.764247316150193, 0.661108643544988)]
    public void The_layer_matrix_matches_the_papers_reference_code(HsicEstimator estimator, double ab, double ac, double bc)
    {
        var matrix = LinearCka.Layers(Layers(), new CkaOptions { Estimator = estimator });
        AssertMatrix(matrix, ab, ac, bc);
        Assert.Equal(1, matrix.Batches);
    }

    [Fact]
    public void Two_minibatches_of_6_match_the_mean_of_Songs_HSIC_over_the_same_halves()
    {
        // MinibatchSize 8 cuts 12 samples into two batches of 6.
        var matrix = LinearCka.Layers(Layers(), new CkaOptions { Estimator = HsicEstimator.Debiased, MinibatchSize = 8 });
        AssertMatrix(matrix, 0.883782123081924, 0.745532504221499, 0.589024498369968);
        Assert.Equal(2, matrix.Batches);
        Assert.Equal(12, matrix.Samples);
    }

    private static void AssertMatrix(SimilarityMatrix matrix, double ab, double ac, double bc)
    {
        double[] expected = [1, ab, ac, ab, 1, bc, ac, bc, 1];
        Assert.Equal(expected, matrix.Values, new Tolerance(1e-12));
    }
}
