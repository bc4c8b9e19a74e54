using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Analysis.Training;

/// <summary>
/// What a call to <see cref="ModelTrainer.Train"/> did: where it started (a resumed run starts at
/// its last checkpoint), where it stopped, whether it was cancelled, and the checkpoints it wrote.
/// </summary>
public sealed record TrainingReport(
    long StartStep,
    long FinalStep,
    long TargetSteps,
    bool Resumed,
    bool Cancelled,
    IReadOnlyList<CheckpointIndexEntry> CheckpointsWritten,
    double? LastTrainLoss,
    TimeSpan Elapsed)
{
    public bool Completed => FinalStep >= TargetSteps;
}
