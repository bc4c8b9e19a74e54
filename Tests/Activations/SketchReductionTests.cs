using ProbeGrid.Analysis.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Activations;

/// <summary>The "sparse-projection" and "pooled-projection" reductions as the reducer applies them.</summary>
public class SketchReductionTests
{
    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    private static Tensor Gaussian(ulong seed, params long[] shape)
    {
        using var generator = new Generator(seed);
        return torch.randn(shape, generator: generator);
    }

    [Theory]
    [InlineData(Reduction.SparseProjection)]
    [InlineData(Reduction.PooledProjection)]
    public void Rows_sketched_in_one_batch_or_three_are_bit_identical_and_equal_in_a_new_reducer(string kind)
    {
        using var scope = torch.NewDisposeScope();
        var reduction = Reduction.Parse(kind, 40, 3);
        var maps = Gaussian(1, 30, 8, 6, 6); // pooled: 8 x 4 x 4 = 128 > 40, so both kinds sketch
        using var whole = new ActivationReducer(reduction, CPU);
        using var split = new ActivationReducer(reduction, CPU); // another extraction: another split or checkpoint

        var once = Values(whole.Reduce("conv", maps));
        var inThree = new[] { 0, 10, 20 }.SelectMany(start => Values(split.Reduce("conv", maps.narrow(0, start, 10)))).ToArray();

        Assert.Equal(30 * 40, once.Length);
        Assert.Equal(once, inThree);
    }

    [Theory]
    [InlineData(Reduction.SparseProjection)]
    [InlineData(Reduction.PooledProjection)]
    public void The_sketch_differs_between_taps_and_between_seeds(string kind)
    {
        using var scope = torch.NewDisposeScope();
        var maps = Gaussian(2, 6, 8, 6, 6);
        using var seed3 = new ActivationReducer(Reduction.Parse(kind, 40, 3), CPU);
        using var seed4 = new ActivationReducer(Reduction.Parse(kind, 40, 4), CPU);

        var conv = seed3.Reduce("conv", maps);

        Assert.True((conv - seed3.Reduce("other", maps)).abs().max().item<float>() > 0.1f);
        Assert.True((conv - seed4.Reduce("conv", maps)).abs().max().item<float>() > 0.1f);
    }

    [Fact]
    public void Sparse_projection_keeps_layers_no_wider_than_the_target_unchanged()
    {
        using var scope = torch.NewDisposeScope();
        using var reducer = new ActivationReducer(Reduction.Parse(Reduction.SparseProjection, 16, 3), CPU);
        var logits = Gaussian(1, 5, 10);
        var exact = Gaussian(2, 5, 4, 2, 2);

        Assert.Equal(Values(logits), Values(reducer.Reduce("logits", logits)));
        Assert.Equal(Values(exact), Values(reducer.Reduce("exact", exact)));
    }

    [Fact]
    public void Sparse_projection_of_a_wide_tap_is_its_count_sketch_for_the_seed_and_tap()
    {
        using var scope = torch.NewDisposeScope();
        using var reducer = new ActivationReducer(Reduction.Parse(Reduction.SparseProjection, 16, 3), CPU);
        var maps = Gaussian(3, 4, 3, 5, 5);
        var sketch = CountSketch.Draw(ActivationReducer.StableSeed(3, "conv"), 75, 16);
        using var index = sketch.ScatterIndex(CPU);

        Assert.Equal(Values(sketch.Apply(maps.reshape(4, 75), index)), Values(reducer.Reduce("conv", maps)));
    }

    [Fact]
    public void Pooled_projection_averages_an_8x8_map_over_2x2_cells_when_the_grid_fits_the_target()
    {
        using var scope = torch.NewDisposeScope();
        using var reducer = new ActivationReducer(Reduction.Parse(Reduction.PooledProjection, 16, 3), CPU);
        // Value 8r + c at row r, column c: cell (i, j) averages rows 2i, 2i+1 and columns 2j, 2j+1,
        // i.e. 16i + 2j + (0 + 1 + 8 + 9)/4 = 16i + 2j + 4.5.
        var map = torch.arange(64, dtype: ScalarType.Float32).reshape(1, 1, 8, 8);

        var pooled = reducer.Reduce("conv", map);

        var expected = Enumerable.Range(0, 16).Select(k => 16f * (k / 4) + 2f * (k % 4) + 4.5f);
        Assert.Equal([1L, 16L], pooled.shape);
        Assert.Equal(expected, Values(pooled));
    }

    [Fact]
    public void Pooled_projection_uses_overlapping_adaptive_cells_on_a_7x7_map_and_keeps_small_maps_and_vectors()
    {
        using var scope = torch.NewDisposeScope();
        using var reducer = new ActivationReducer(Reduction.Parse(Reduction.PooledProjection, 64, 3), CPU);
        // Value 7r + c. Adaptive cells of 7 into 4: rows/columns [0,2), [1,4), [3,6), [5,7).
        // Cell (0,0) = (0+1+7+8)/4 = 4; cell (1,1) = centre of rows and columns 1..3 = 7·2 + 2 = 16;
        // cell (3,3) = (40+41+47+48)/4 = 44; cell (2,0): rows 3..5, columns 0..1 = 7·4 + 0.5 = 28.5.
        var map = torch.arange(49, dtype: ScalarType.Float32).reshape(1, 1, 7, 7);
        var small = Gaussian(4, 2, 3, 3, 2);
        var vector = Gaussian(5, 2, 50);

        var pooled = Values(reducer.Reduce("conv", map));

        Assert.Equal(16, pooled.Length);
        Assert.Equal(4f, pooled[0]);
        Assert.Equal(16f, pooled[5]);
        Assert.Equal(28.5f, pooled[8]);
        Assert.Equal(44f, pooled[15]);
        Assert.Equal(Values(small), Values(reducer.Reduce("small", small)));
        Assert.Equal(Values(vector), Values(reducer.Reduce("vector", vector)));
    }
}
