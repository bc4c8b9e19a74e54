namespace ProbeGrid.Analysis.Training;

/// <summary>How a net learns in <see cref="MinibatchEpochs"/>: epochs of seeded shuffles, minibatches, a learning rate per epoch.</summary>
public interface IEpochSchedule
{
    int Epochs { get; }

    int BatchSize { get; }

    /// <summary>Seeds each epoch's shuffle (with the epoch).</summary>
    long Seed { get; }

    /// <summary>The first epoch's learning rate, named in the error when the loss diverges.</summary>
    double InitialLearningRate { get; }

    double FinalLearningRate { get; }

    /// <summary>The learning rate of epoch e (0-based).</summary>
    double LearningRate(int epoch);

    /// <summary>What is wrong with a schedule's numbers, each with the field to fix.</summary>
    static IEnumerable<string> Problems(IEpochSchedule schedule)
    {
        if (schedule.Epochs < 1) yield return $"epochs {schedule.Epochs} must be at least 1";
        if (schedule.BatchSize < 1) yield return $"batchSize {schedule.BatchSize} must be at least 1";
        if (!(schedule.InitialLearningRate > 0 && schedule.FinalLearningRate > 0 && double.IsFinite(schedule.InitialLearningRate) && double.IsFinite(schedule.FinalLearningRate)))
            yield return "learning rates must be positive numbers";
    }
}
