using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

public sealed class LabeledDataTests
{
    /// <summary><paramref name="count"/> 1x2x3 samples; sample m's mask marks pixel m % 6 only.</summary>
    private static LabeledData Masked(int count, int offset = 0)
    {
        var masks = new bool[count * 6];
        for (var m = 0; m < count; m++) masks[m * 6 + (m + offset) % 6] = true;
        return new LabeledData(Enumerable.Range(0, count * 6).Select(i => (float)i).ToArray(), [1, 2, 3],
            Enumerable.Range(0, count).Select(m => (long)(m % 2)).ToArray(), 2) { ObjectMasks = masks };
    }

    [Fact]
    public void Object_masks_have_a_row_of_height_x_width_per_sample()
    {
        var data = Masked(4);
        Assert.Equal(6, data.ObjectMaskSize);
        Assert.Equal([false, false, true, false, false, false], data.ObjectMask(2));
        Assert.Equal(6, new LabeledData(new float[24], [2, 2, 3], [0, 1], 2).ObjectMaskSize); // channels share one mask
        Assert.Equal(5, new LabeledData(new float[10], [5], [0, 1], 2).ObjectMaskSize);
        var error = Assert.Throws<InvalidOperationException>(() => new LabeledData(new float[6], [1, 2, 3], [0], 2).ObjectMask(0));
        Assert.Contains("no object masks", error.Message);
    }

    [Fact]
    public void Slices_keep_their_object_masks()
    {
        var slice = Masked(5).Slice(1, 3);
        Assert.Equal(3, slice.Count);
        Assert.Equal(18, slice.ObjectMasks!.Length);
        for (var m = 0; m < 3; m++) Assert.Equal(Masked(5).ObjectMask(m + 1), slice.ObjectMask(m));
        Assert.Null(new LabeledData(new float[12], [1, 2, 3], [0, 1], 2).Slice(1, 1).ObjectMasks);
    }

    [Fact]
    public void Concat_joins_object_masks_and_refuses_to_mix_masked_and_unmasked_data()
    {
        var joined = Masked(2).Concat(Masked(3, offset: 2));
        Assert.Equal(5, joined.Count);
        Assert.Equal([.. Masked(2).ObjectMasks!, .. Masked(3, offset: 2).ObjectMasks!], joined.ObjectMasks!);

        var plain = new LabeledData(new float[6], [1, 2, 3], [0], 2);
        Assert.Null(plain.Concat(plain).ObjectMasks);
        var error = Assert.Throws<ArgumentException>(() => Masked(1).Concat(plain));
        Assert.Contains("object masks", error.Message);
        Assert.Throws<ArgumentException>(() => plain.Concat(Masked(1)));
    }
}
