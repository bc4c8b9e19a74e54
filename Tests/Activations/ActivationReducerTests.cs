using ProbeGrid.Analysis.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Activations;

public class ActivationReducerTests
{
    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    private static Tensor Gaussian(long seed, params long[] shape)
    {
        using var generator = new Generator((ulong)seed);
        return torch.randn(shape, generator: generator);
    }

    [Fact]
    public void Spatial_mean_is_the_mean_over_height_and_width_of_each_channel()
    {
        using var scope = torch.NewDisposeScope();
        using var reducer = new ActivationReducer(Reduction.Parse("spatial-mean", 0, 0), CPU);
        // Sample s, channel c holds 12s + 4c + {0, 1, 2, 3}: its mean is 12s + 4c + 1.5.
        var activation = torch.arange(24, dtype: ScalarType.Float32).reshape(2, 3, 2, 2);

        var reduced = reducer.Reduce("conv", activation);

        Assert.Equal([2L, 3L], reduced.shape);
        Assert.Equal([1.5f, 5.5f, 9.5f, 13.5f, 17.5f, 21.5f], Values(reduced));
    }

    [Fact]
    public void Spatial_mean_averages_every_trailing_dimension_and_keeps_vectors_whole()
    {
        using var scope = torch.NewDisposeScope();
        using var reducer = new ActivationReducer(Reduction.Parse("spatial-mean", 0, 0), CPU);
        var sequence = torch.tensor(new float[] { 1, 2, 3, 10, 20, 30 }).reshape(1, 2, 3); // [batch, channels, length]
        var volume = torch.arange(16, dtype: ScalarType.Float32).reshape(1, 2, 2, 2, 2); // [batch, channels, d, h, w]
        var vector = torch.tensor(new float[] { 4, -1, 7 }).reshape(1, 3);

        Assert.Equal([2f, 20f], Values(reducer.Reduce("sequence", sequence)));
        Assert.Equal([3.5f, 11.5f], Values(reducer.Reduce("volume", volume)));
        Assert.Equal([4f, -1f, 7f], Values(reducer.Reduce("vector", vector)));
    }

    [Fact]
    public void Flatten_keeps_the_values_in_row_major_order()
    {
        using var scope = torch.NewDisposeScope();
        using var reducer = new ActivationReducer(Reduction.Parse("flatten", 0, 0), CPU);
        var activation = torch.arange(24, dtype: ScalarType.Float32).reshape(2, 3, 2, 2);

        var reduced = reducer.Reduce("conv", activation);

        Assert.Equal([2L, 12L], reduced.shape);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (float)i), Values(reduced));
    }

    [Fact]
    public void Random_projection_keeps_layers_no_larger_than_the_target_unchanged()
    {
        using var scope = torch.NewDisposeScope();
        using var reducer = new ActivationReducer(Reduction.Parse("random-projection", 16, 3), CPU);
        var logits = Gaussian(1, 5, 10);
        var exact = Gaussian(2, 5, 4, 2, 2);

        Assert.Equal(Values(logits), Values(reducer.Reduce("logits", logits)));
        Assert.Equal(Values(exact), Values(reducer.Reduce("exact", exact)));
    }

    [Fact]
    public void Random_projection_is_the_same_for_the_same_seed_and_tap_in_every_extraction()
    {
        using var scope = torch.NewDisposeScope();
        var reduction = Reduction.Parse("random-projection", 8, 11);
        var batchA = Gaussian(1, 6, 40);
        var batchB = Gaussian(2, 6, 40);
        using var first = new ActivationReducer(reduction, CPU);
        using var second = new ActivationReducer(reduction, CPU);

        var a1 = Values(first.Reduce("layer3", batchA));
        var b1 = Values(first.Reduce("layer3", batchB));
        var b2 = Values(second.Reduce("layer3", batchB)); // a new reducer (another checkpoint), batches in another order
        var a2 = Values(second.Reduce("layer3", batchA));

        Assert.Equal(48, a1.Length);
        Assert.Equal(a1, a2);
        Assert.Equal(b1, b2);
    }

    [Fact]
    public void Random_projection_differs_between_taps_and_between_seeds()
    {
        using var scope = torch.NewDisposeScope();
        var batch = Gaussian(1, 6, 40);
        using var seed11 = new ActivationReducer(Reduction.Parse("random-projection", 8, 11), CPU);
        using var seed12 = new ActivationReducer(Reduction.Parse("random-projection", 8, 12), CPU);

        var layer3 = seed11.Reduce("layer3", batch);
        var layer4 = seed11.Reduce("layer4", batch);
        var otherSeed = seed12.Reduce("layer3", batch);

        Assert.True((layer3 - layer4).abs().max().item<float>() > 0.1f);
        Assert.True((layer3 - otherSeed).abs().max().item<float>() > 0.1f);
    }

    [Fact]
    public void Random_projection_preserves_squared_norms_on_average_as_Johnson_Lindenstrauss_says()
    {
        using var scope = torch.NewDisposeScope();
        const int inputs = 400, dims = 100;
        using var reducer = new ActivationReducer(Reduction.Parse("random-projection", dims, 5), CPU);
        var x = Gaussian(9, 2000, inputs) * 3 + 1; // not centred, not unit scale: the ratio must not depend on either

        var projected = reducer.Reduce("layer", x);
        var ratio = projected.square().sum(1) / x.square().sum(1);

        Assert.Equal([2000L, dims], projected.shape);
        // Entries N(0, 1/k): E[ratio] = 1, Var[ratio] ≈ 2/k for a Gaussian matrix.
        Assert.InRange(ratio.mean().item<float>(), 0.95f, 1.05f);
        Assert.InRange((double)ratio.std().item<float>(), 0.7 * Math.Sqrt(2.0 / dims), 1.3 * Math.Sqrt(2.0 / dims));
    }

    [Fact]
    public void The_tap_seed_is_64_bit_FNV_1a_of_the_tap_name_so_it_is_stable_across_processes()
    {
        // Published FNV-1a 64 test vectors ("" -> cbf29ce484222325, "a" -> af63dc4c8601ec8c,
        // "foobar" -> 85944171f73967e8), seed 0, top bit cleared.
        Assert.Equal(0x4bf29ce484222325L, ActivationReducer.StableSeed(0, ""));
        Assert.Equal(0x2f63dc4c8601ec8cL, ActivationReducer.StableSeed(0, "a"));
        Assert.Equal(0x05944171f73967e8L, ActivationReducer.StableSeed(0, "foobar"));
        Assert.NotEqual(ActivationReducer.StableSeed(0, "a"), ActivationReducer.StableSeed(1, "a"));
    }
}
