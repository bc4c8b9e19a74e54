using ProbeGrid.Analysis.Activations;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Activations;

public class CountSketchTests
{
    private static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    private static Tensor Apply(CountSketch sketch, Tensor rows)
    {
        using var index = sketch.ScatterIndex(CPU);
        return sketch.Apply(rows, index);
    }

    [Fact]
    public void A_hand_specified_sketch_adds_each_coordinate_with_its_sign_to_its_bucket()
    {
        using var scope = torch.NewDisposeScope();
        // h = (0, 1, 0, 1, 1), s = (+, −, −, +, +): out0 = x0 − x2, out1 = −x1 + x3 + x4.
        var sketch = new CountSketch([0, 1, 0, 1, 1], [false, true, true, false, false], outputSize: 2);
        var rows = torch.tensor(new float[] { 1, 2, 3, 4, 5, 0.5f, -1, 2, 0, 3 }).reshape(2, 5);

        var sketched = Apply(sketch, rows);

        Assert.Equal([2L, 2L], sketched.shape);
        Assert.Equal([-2f, 7f, -1.5f, 4f], Values(sketched));
    }

    [Fact]
    public void The_draw_is_SplitMix64_so_the_same_seed_gives_the_same_sketch_on_every_platform()
    {
        using var scope = torch.NewDisposeScope();
        // SplitMix64 from state 0 gives e220a8397b1dcdaf, 6e789e6aa1b965f4, 06c45d188009454f (the
        // reference vectors); the top 32 bits times 512 over 2^32 give buckets 452, 220, 13 and the
        // low bits signs −, +, −. A unit vector e_i is sketched to s(i)·e_h(i).
        var sketch = CountSketch.Draw(0, inputSize: 3, outputSize: 512);
        var units = torch.eye(3);

        var sketched = Values(Apply(sketch, units));

        Assert.Equal(-1f, sketched[0 * 512 + 452]);
        Assert.Equal(1f, sketched[1 * 512 + 220]);
        Assert.Equal(-1f, sketched[2 * 512 + 13]);
        Assert.Equal(3f, sketched.Sum(Math.Abs));
    }

    [Fact]
    public void Buckets_outside_the_output_and_mismatched_signs_are_rejected()
    {
        var outside = Assert.Throws<ArgumentException>(() => new CountSketch([0, 2], [false, false], outputSize: 2));
        Assert.Contains("bucket 2 of coordinate 1", outside.Message);
        var signs = Assert.Throws<ArgumentException>(() => new CountSketch([0, 1], [false], outputSize: 2));
        Assert.Contains("1 signs", signs.Message);
    }

    [Fact]
    public void Rows_of_the_wrong_width_are_rejected_naming_the_expected_width()
    {
        using var scope = torch.NewDisposeScope();
        var sketch = new CountSketch([0, 1, 0], [false, false, false], outputSize: 2);

        var e = Assert.Throws<ArgumentException>(() => Apply(sketch, torch.ones(4, 5)));

        Assert.Contains("[batch, 3]", e.Message);
    }

    [Fact]
    public void The_same_seed_tap_and_sizes_give_the_same_remembered_sketch_and_others_differ()
    {
        var first = CountSketch.For(7, "conv1", 1000, 64);

        Assert.Same(first, CountSketch.For(7, "conv1", 1000, 64));
        using var scope = torch.NewDisposeScope();
        var rows = torch.randn(3, 1000, generator: new Generator(1));
        var reference = Values(Apply(first, rows));
        Assert.Equal(reference, Values(Apply(CountSketch.Draw(ActivationReducer.StableSeed(7, "conv1"), 1000, 64), rows)));
        Assert.NotEqual(reference, Values(Apply(CountSketch.For(8, "conv1", 1000, 64), rows)));
        Assert.NotEqual(reference, Values(Apply(CountSketch.For(7, "conv2", 1000, 64), rows)));
    }
}
