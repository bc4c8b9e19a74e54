namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// A checkpoint found by <see cref="CheckpointDiscovery"/>: its full path, its training step when
/// known (from the index or the file name), when it was written (UTC) and the training loss the
/// index recorded for it, if any.
/// </summary>
public sealed record DiscoveredCheckpoint(string Path, long? Step, DateTime WrittenAt, double? TrainLoss)
{
    /// <summary>Listed in the folder's index.json, whose writer lists a checkpoint only once its file is whole (as `probegrid train` does).</summary>
    public bool Recorded { get; init; }
}
