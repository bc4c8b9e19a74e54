using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

public sealed class GaussianSignDatasetTests
{
    [Fact]
    public void Splits_have_the_requested_sizes_and_shape()
    {
        var splits = GaussianSignDataset.Generate(dimension: 16, trainCount: 100, validationCount: 20, testCount: 30, seed: 5);

        Assert.Equal((100, 20, 30), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        Assert.Equal([16L], splits.SampleShape);
        Assert.Equal(2, splits.ClassCount);
        Assert.Equal(100 * 16, splits.Train.Inputs.Length);
        Assert.All(splits.Test.Labels, y => Assert.InRange(y, 0, 1));
    }

    [Fact]
    public void Same_seed_gives_identical_arrays()
    {
        var a = GaussianSignDataset.Generate(128, 500, 100, 200, seed: 11);
        var b = GaussianSignDataset.Generate(128, 500, 100, 200, seed: 11);

        foreach (var (x, y) in new[] { (a.Train, b.Train), (a.Validation, b.Validation), (a.Test, b.Test) })
        {
            Assert.Equal(x.Inputs, y.Inputs);
            Assert.Equal(x.Labels, y.Labels);
        }
        Assert.Equal(GaussianSignDataset.Direction(128, 11), GaussianSignDataset.Direction(128, 11));
    }

    [Fact]
    public void Another_seed_gives_another_direction_and_labels()
    {
        var a = GaussianSignDataset.Generate(128, 500, 100, 200, seed: 11);
        var b = GaussianSignDataset.Generate(128, 500, 100, 200, seed: 12);

        Assert.NotEqual(a.Train.Labels, b.Train.Labels);
        Assert.NotEqual(a.Train.Inputs, b.Train.Inputs);
        Assert.NotEqual(GaussianSignDataset.Direction(128, 11), GaussianSignDataset.Direction(128, 12));
        // Seeds that differ only in their high bits are different seeds too.
        Assert.NotEqual(GaussianSignDataset.Direction(8, 1), GaussianSignDataset.Direction(8, 1 + (1L << 40)));
    }

    [Fact]
    public void Labels_are_the_sign_of_the_projection_on_the_seeds_direction()
    {
        const int d = 32;
        var splits = GaussianSignDataset.Generate(d, 300, 50, 50, seed: 3);
        var w = GaussianSignDataset.Direction(d, 3);

        foreach (var set in new[] { splits.Train, splits.Validation, splits.Test })
            for (var k = 0; k < set.Count; k++)
            {
                var x = set.Inputs.AsSpan(k * d, d);
                double dot = 0;
                for (var i = 0; i < d; i++) dot += (double)x[i] * w[i];
                Assert.Equal(dot > 0 ? 1L : 0L, set.Labels[k]);
            }
    }

    [Fact]
    public void Labels_are_balanced_and_inputs_standard_normal()
    {
        var splits = GaussianSignDataset.Generate(128, 2000, 500, 1000, seed: 0);

        foreach (var set in new[] { splits.Train, splits.Validation, splits.Test })
            Assert.InRange(set.Labels.Average(), 0.4, 0.6);

        // 256 000 draws: the sample mean is within 0.01 and the variance within 0.02 of N(0, 1)'s.
        var inputs = splits.Train.Inputs;
        var mean = inputs.Average(v => (double)v);
        var variance = inputs.Average(v => ((double)v - mean) * ((double)v - mean));
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
        Assert.InRange(GaussianSignDataset.Direction(4096, 9).Average(v => (double)v * v), 0.9, 1.1);
    }

    [Fact]
    public void Each_split_is_independent_of_the_others_sizes()
    {
        var small = GaussianSignDataset.Generate(8, 10, 10, 10, seed: 4);
        var large = GaussianSignDataset.Generate(8, 90, 10, 10, seed: 4);

        Assert.Equal(small.Test.Inputs, large.Test.Inputs);
        Assert.Equal(small.Validation.Inputs, large.Validation.Inputs);
        Assert.Equal(small.Train.Inputs, large.Train.Inputs[..(10 * 8)]);
    }

    [Fact]
    public void Generation_on_many_threads_at_once_is_deterministic()
    {
        var expected = GaussianSignDataset.Generate(64, 200, 10, 10, seed: 21).Train.Inputs;

        var results = new float[8][];
        Parallel.For(0, results.Length, i => results[i] = GaussianSignDataset.Generate(64, 200, 10, 10, seed: 21).Train.Inputs);

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Invalid_sizes_are_listed_together()
    {
        var e = Assert.Throws<ArgumentException>(() => GaussianSignDataset.Generate(0, 0, -1, 5, seed: 0));

        Assert.Contains("dimension must be at least 1 (got 0)", e.Message);
        Assert.Contains("trainCount must be at least 1 (got 0)", e.Message);
        Assert.Contains("validationCount must be at least 1 (got -1)", e.Message);
        Assert.DoesNotContain("testCount", e.Message);
    }
}
