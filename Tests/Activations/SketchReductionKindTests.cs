using ProbeGrid.Analysis.Activations;

namespace ProbeGrid.Tests.Activations;

public class SketchReductionKindTests
{
    [Theory]
    [InlineData(Reduction.SparseProjection)]
    [InlineData(Reduction.PooledProjection)]
    public void A_sketch_to_fewer_than_one_dimension_is_rejected_naming_the_limit(string kind)
    {
        var e = Assert.Throws<ArgumentException>(() => Reduction.Parse(kind, 0, 1));

        Assert.Contains("maxDims 0", e.Message);
        Assert.Contains(kind, e.Message);
    }

    [Fact]
    public void The_sketch_kinds_keep_size_and_seed_and_print_them_in_the_cache_key_text()
    {
        var sparse = Reduction.Parse("sparse-projection", 512, 7);
        var pooled = Reduction.Parse("pooled-projection", 512, 7);

        Assert.Equal(new Reduction("sparse-projection", 512, 7), sparse);
        Assert.Equal("sparse-projection(512,seed=7)", sparse.ToString());
        Assert.Equal("pooled-projection(4x4,512,seed=7)", pooled.ToString());
        Assert.NotEqual(sparse.ToString(), Reduction.Parse("random-projection", 512, 7).ToString());
        Assert.NotEqual(sparse.ToString(), Reduction.Parse("sparse-projection", 512, 8).ToString());
    }

    [Theory]
    [InlineData(new long[] { 32, 28, 28 }, 512)]
    [InlineData(new long[] { 1024 }, 512)]
    [InlineData(new long[] { 10 }, 10)]
    public void Sparse_projection_caps_the_size_and_keeps_small_layers_whole(long[] shape, int expected) =>
        Assert.Equal(expected, Reduction.Parse("sparse-projection", 512, 0).OutputSize(shape));

    [Theory]
    [InlineData(new long[] { 32, 28, 28 }, 512)] // 32 x 4 x 4
    [InlineData(new long[] { 64, 14, 14 }, 600)] // 64 x 4 x 4 = 1024, sketched to 600
    [InlineData(new long[] { 64, 7, 7 }, 600)]
    [InlineData(new long[] { 8, 3, 2 }, 48)] // sides smaller than the grid are kept
    [InlineData(new long[] { 1, 28, 28 }, 16)]
    [InlineData(new long[] { 1024 }, 600)]
    [InlineData(new long[] { 6, 100 }, 600)] // not a [C,H,W] map: sketched whole
    [InlineData(new long[] { 10 }, 10)]
    public void Pooled_projection_pools_maps_to_at_most_4x4_cells_then_caps_the_size(long[] shape, int expected) =>
        Assert.Equal(expected, Reduction.Parse("pooled-projection", 600, 0).OutputSize(shape));
}
