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

    /// <summary>The learning rate of epoch e (0-based).</summary>
    double LearningRate(int epoch);
}
