using ProbeGrid.Analysis.Activations;

namespace ProbeGrid.Tests.Activations;

public class ReductionTests
{
    [Theory]
    [InlineData("pca")]
    [InlineData("Flatten")]
    [InlineData("")]
    [InlineData("spatial_mean")]
    public void An_unknown_kind_is_rejected_naming_it_and_the_accepted_kinds(string kind)
    {
        var e = Assert.Throws<ArgumentException>(() => Reduction.Parse(kind, 64, 1));

        Assert.Contains($"'{kind}'", e.Message);
        Assert.Contains("flatten, spatial-mean, random-projection", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_random_projection_to_fewer_than_one_dimension_is_rejected_naming_the_limit(int maxDims)
    {
        var e = Assert.Throws<ArgumentException>(() => Reduction.Parse(Reduction.RandomProjection, maxDims, 1));

        Assert.Contains($"maxDims {maxDims}", e.Message);
        Assert.Contains("at least 1", e.Message);
    }

    [Fact]
    public void Parameters_that_do_not_apply_are_dropped_so_equal_reductions_compare_and_print_equal()
    {
        Assert.Equal(Reduction.Parse("flatten", 0, 0), Reduction.Parse("flatten", 64, 9));
        Assert.Equal(Reduction.Parse("spatial-mean", -1, 0), Reduction.Parse("spatial-mean", 512, 3));
        Assert.Equal("flatten", Reduction.Parse("flatten", 64, 9).ToString());
        Assert.Equal("spatial-mean", Reduction.Parse("spatial-mean", 64, 9).ToString());

        var projection = Reduction.Parse("random-projection", 256, 42);
        Assert.Equal(new Reduction("random-projection", 256, 42), projection);
        Assert.Equal("random-projection(256,seed=42)", projection.ToString());
        Assert.NotEqual(projection.ToString(), Reduction.Parse("random-projection", 256, 43).ToString());
        Assert.NotEqual(projection.ToString(), Reduction.Parse("random-projection", 255, 42).ToString());
    }

    [Theory]
    [InlineData(new long[] { 128 }, 128)]
    [InlineData(new long[] { 32, 28, 28 }, 25088)]
    [InlineData(new long[] { 1, 28, 28 }, 784)]
    [InlineData(new long[] { 4, 5 }, 20)]
    public void Flatten_keeps_every_value(long[] shape, int expected) =>
        Assert.Equal(expected, Reduction.Parse("flatten", 0, 0).OutputSize(shape));

    [Theory]
    [InlineData(new long[] { 32, 28, 28 }, 32)]
    [InlineData(new long[] { 64, 7, 7 }, 64)]
    [InlineData(new long[] { 6, 100 }, 6)]
    [InlineData(new long[] { 3, 2, 4, 4 }, 3)]
    [InlineData(new long[] { 512 }, 512)]
    public void Spatial_mean_keeps_one_value_per_channel_and_vectors_whole(long[] shape, int expected) =>
        Assert.Equal(expected, Reduction.Parse("spatial-mean", 0, 0).OutputSize(shape));

    [Theory]
    [InlineData(new long[] { 32, 28, 28 }, 256)]
    [InlineData(new long[] { 512 }, 256)]
    [InlineData(new long[] { 257 }, 256)]
    [InlineData(new long[] { 256 }, 256)]
    [InlineData(new long[] { 10 }, 10)]
    [InlineData(new long[] { 1, 8, 8 }, 64)]
    public void Random_projection_caps_the_size_and_keeps_small_layers_whole(long[] shape, int expected) =>
        Assert.Equal(expected, Reduction.Parse("random-projection", 256, 7).OutputSize(shape));
}
