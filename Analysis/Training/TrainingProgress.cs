namespace ProbeGrid.Analysis.Training;

/// <summary>
/// A progress report from <see cref="ModelTrainer"/>: the steps done, the mean training loss since
/// the previous report (null when no step ran since), and the checkpoint just written, if any.
/// </summary>
public sealed record TrainingProgress(long Step, long TotalSteps, double? MeanLoss, TimeSpan Elapsed, string? CheckpointWritten);
