using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

/// <summary>The real Fashion-MNIST files, loaded once for the class.</summary>
public sealed class FashionMnistRealData
{
    public FashionMnistRealData()
    {
        // Not skipped when absent: the data is part of the project's setup, so its absence is a failure.
        Assert.True(Directory.Exists(FashionMnist.DefaultFolder),
            $"Fashion-MNIST is not installed at {FashionMnist.DefaultFolder}. Fix: {FashionMnist.InstallHint}.");
        Train = FashionMnist.LoadTrainSet();
        Test = FashionMnist.LoadTestSet();
    }

    public LabeledData Train { get; }
    public LabeledData Test { get; }
}

public sealed class FashionMnistRealDataTests(FashionMnistRealData data) : IClassFixture<FashionMnistRealData>
{
    [Fact]
    public void Real_sets_have_the_standard_sizes_and_shape()
    {
        Assert.Equal(60_000, data.Train.Count);
        Assert.Equal(10_000, data.Test.Count);
        Assert.Equal(60_000L * 784, data.Train.Inputs.Length);
        Assert.Equal([1L, 28, 28], data.Train.SampleShape);
        Assert.Equal(10, data.Test.ClassCount);
    }

    [Fact]
    public void Real_pixels_span_the_unit_interval()
    {
        foreach (var set in new[] { data.Train, data.Test })
        {
            Assert.Equal(0f, set.Inputs.Min());
            Assert.Equal(1f, set.Inputs.Max());
        }
        // Fashion-MNIST's mean pixel intensity is about 0.286.
        Assert.InRange(data.Train.Inputs.Average(), 0.28, 0.29);
    }

    [Fact]
    public void Real_classes_are_exactly_balanced()
    {
        Assert.All(Histogram(data.Train.Labels), n => Assert.Equal(6_000, n));
        Assert.All(Histogram(data.Test.Labels), n => Assert.Equal(1_000, n));
    }

    [Fact]
    public void Default_split_partitions_the_training_file()
    {
        var splits = FashionMnist.Load(FashionMnist.DefaultFolder, 50_000, 10_000, 10_000, seed: 42);

        Assert.Equal((50_000, 10_000, 10_000), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        // Train and validation together are a permutation of the training file: 6000 of each class.
        var combined = Histogram(splits.Train.Labels).Zip(Histogram(splits.Validation.Labels), (a, b) => a + b);
        Assert.All(combined, n => Assert.Equal(6_000, n));
        // A random validation set of 10^4 holds each class about 1000 times.
        Assert.All(Histogram(splits.Validation.Labels), n => Assert.InRange(n, 850, 1150));
        Assert.Equal(data.Test.Labels, splits.Test.Labels);
    }

    private static int[] Histogram(long[] labels)
    {
        var counts = new int[10];
        foreach (var label in labels) counts[label]++;
        return counts;
    }
}
