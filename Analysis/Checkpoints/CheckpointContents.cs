namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// What a checkpoint was read as: its format, the file read (a checkpoint folder's weights, a sharded
/// checkpoint's index), every file whose bytes it uses, its tensor count, the key of the dict that wrapped
/// the state dict (e.g. "model" in <c>{"model": sd, "optimizer": ...}</c>; null when the state dict was saved
/// itself) and the wrapper prefix stripped from every name (e.g. DistributedDataParallel's "module.").
/// </summary>
public sealed record CheckpointContents(
    CheckpointFormat Format,
    string WeightsPath,
    IReadOnlyList<string> Files,
    int TensorCount,
    string? StateDictKey,
    string? StrippedPrefix);
