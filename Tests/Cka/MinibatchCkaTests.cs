using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Cka;

namespace ProbeGrid.Tests.Cka;

public class MinibatchCkaTests
{
    private static readonly CkaOptions Debiased = new() { Estimator = HsicEstimator.Debiased };

    /// <summary>Y = X W / 4 + noise: a wider representation with CKA about 0.5 to X.</summary>
    private static (FeatureMatrix X, FeatureMatrix Y) Related(Random random, int rows)
    {
        var x = CkaFeatures.Gaussian(random, rows, 16);
        var w = CkaFeatures.Gaussian(random, 16, 24);
        var noise = CkaFeatures.Gaussian(random, rows, 24);
        var y = new float[rows * 24];
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < 24; j++)
            {
                double sum = 0;
                for (var k = 0; k < 16; k++) sum += x.Data[i * 16 + k] * w.Data[k * 24 + j];
                y[i * 24 + j] = (float)(sum / 4 + noise.Data[i * 24 + j]);
            }
        return (x, new FeatureMatrix(y, rows, 24));
    }

    [Fact]
    public void One_batch_is_exactly_the_full_set_value()
    {
        var (x, y) = Related(new Random(15), 64);
        var full = LinearCka.Between([x], [y], Debiased);
        var oneBatch = LinearCka.Between([x], [y], Debiased with { MinibatchSize = 64 });
        Assert.Equal(1, oneBatch.Batches);
        Assert.Equal(full.Values, oneBatch.Values);
        // Fed by hand as one batch, the accumulator gives the same bits.
        var accumulator = CkaAccumulator.ForSameLayers(1, HsicEstimator.Debiased);
        accumulator.Add([x], [y]);
        Assert.Equal(full.Values, accumulator.Result().Values);
    }

    [Fact]
    public void Debiased_minibatches_of_256_agree_with_the_full_estimate_of_2048_samples()
    {
        // numpy, 300 draws of this construction: full CKA ≈ 0.52, minibatch − full has sd 0.0014 and max |·| 0.0043.
        var (x, y) = Related(new Random(16), 2048);
        var full = LinearCka.Compute(x, y, Debiased);
        var batched = LinearCka.Between([x], [y], Debiased with { MinibatchSize = 256 });
        Assert.Equal(8, batched.Batches);
        Assert.InRange(full, 0.45, 0.6);
        Assert.InRange(batched[0, 0] - full, -0.01, 0.01);
    }

    [Fact]
    public void Batches_fed_by_hand_give_the_same_value_as_the_options_cut()
    {
        var (x, y) = Related(new Random(17), 100);
        var accumulator = CkaAccumulator.ForBetween(1, 1, HsicEstimator.Debiased);
        // MinibatchSize 40 cuts 100 rows into 34, 33, 33.
        foreach (var (start, rows) in new[] { (0, 34), (34, 33), (67, 33) })
            accumulator.Add([Rows(x, start, rows)], [Rows(y, start, rows)]);
        var cut = LinearCka.Between([x], [y], Debiased with { MinibatchSize = 40 });
        Assert.Equal(3, cut.Batches);
        Assert.Equal(cut.Values, accumulator.Result().Values);
    }

    [Fact]
    public void The_biased_estimator_refuses_a_second_batch_and_minibatch_options()
    {
        var (x, y) = Related(new Random(18), 20);
        var accumulator = CkaAccumulator.ForBetween(1, 1, HsicEstimator.Biased);
        accumulator.Add([x], [y]);
        var error = Assert.Throws<InvalidOperationException>(() => accumulator.Add([x], [y]));
        Assert.Contains("Debiased", error.Message);
        var problems = new CkaOptions { MinibatchSize = 4 }.Validate();
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("at least 8"));
        Assert.Contains(problems, p => p.Contains("needs estimator Debiased"));
        Assert.Throws<ArgumentException>(() => LinearCka.Compute(x, y, new CkaOptions { MinibatchSize = 10 }));
        Assert.Empty((Debiased with { MinibatchSize = 8 }).Validate());
    }

    [Theory]
    [InlineData(12, 8, new[] { 6, 6 })]
    [InlineData(10, 4, new[] { 4, 3, 3 })]
    [InlineData(100, 40, new[] { 34, 33, 33 })]
    [InlineData(5, 0, new[] { 5 })]
    [InlineData(5, 9, new[] { 5 })]
    public void Rows_are_cut_into_near_equal_consecutive_batches(int samples, int limit, int[] sizes)
    {
        var batches = RowBatches.Split(samples, limit).ToList();
        Assert.Equal(sizes, batches.Select(b => b.Rows));
        Assert.Equal(sizes.Select((_, k) => sizes.Take(k).Sum()), batches.Select(b => b.Start));
    }

    [Fact]
    public void The_device_memory_bound_adds_kept_forms_the_largest_upload_and_a_pair_product()
    {
        // m = 100, p = (50, 300): kept 8·100·50 + 8·100·100 + 2·8·100 = 121 600; upload 12·100·300 = 360 000;
        // pair 16·100² = 160 000; total 641 600.
        Assert.Equal(641_600, CkaMemory.DeviceBytes(100, [50, 300]));
    }

    private static FeatureMatrix Rows(FeatureMatrix m, int start, int rows) =>
        new(m.Data.AsSpan(start * m.Columns, rows * m.Columns).ToArray(), rows, m.Columns);
}
