namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// One checkpoint of a training run: its step, its file name (relative to the folder), when it
/// was written (UTC) and the mean training loss since the previous checkpoint (null at step 0).
/// </summary>
public sealed record CheckpointIndexEntry(long Step, string File, DateTime WrittenAt, double? TrainLoss);
