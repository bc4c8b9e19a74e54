using ProbeGrid.Analysis.Training;

namespace ProbeGrid.Tests.Training;

public class BatchScheduleTests
{
    [Fact]
    public void Each_epoch_is_a_permutation_that_depends_only_on_seed_and_epoch()
    {
        var schedule = new BatchSchedule(sampleCount: 10, batchSize: 3, seed: 5);
        Assert.Equal(3, schedule.BatchesPerEpoch); // the incomplete last batch is dropped

        long[] Epoch(BatchSchedule s, long epoch) =>
            [.. Enumerable.Range(0, s.BatchesPerEpoch).SelectMany(b => s.Indices(epoch * s.BatchesPerEpoch + b).ToArray())];

        var epoch0 = Epoch(schedule, 0);
        var epoch1 = Epoch(schedule, 1);
        Assert.Equal(9, epoch0.Distinct().Count());
        Assert.All(epoch0, i => Assert.InRange(i, 0, 9));
        Assert.NotEqual(epoch0, epoch1);

        // A fresh schedule asked for epoch 1 first (as a resumed run would) agrees.
        var fresh = new BatchSchedule(10, 3, seed: 5);
        Assert.Equal(epoch1, Epoch(fresh, 1));
        Assert.Equal(epoch0, Epoch(fresh, 0));
        Assert.NotEqual(epoch0, Epoch(new BatchSchedule(10, 3, seed: 6), 0));
    }

    [Fact]
    public void A_batch_larger_than_the_data_uses_all_of_it()
    {
        var schedule = new BatchSchedule(sampleCount: 4, batchSize: 128, seed: 1);
        Assert.Equal(4, schedule.BatchSize);
        Assert.Equal([0L, 1, 2, 3], schedule.Indices(7).ToArray().Order());
    }
}
