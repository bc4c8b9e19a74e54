namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// A folder that is one checkpoint, as Hugging Face's Trainer writes them (<c>checkpoint-500/</c>): it holds the
/// model's weights under one of the names <see cref="WeightNames"/> gives, beside the trainer's own files
/// (optimizer.pt, scheduler.pt, rng_state.pth, training_args.bin), which are not weights.
/// </summary>
public static class CheckpointFolder
{
    /// <summary>The weights file names a checkpoint folder may hold, the one read first when several are there.</summary>
    public static readonly IReadOnlyList<string> WeightNames =
        ["model.safetensors.index.json", "model.safetensors", "pytorch_model.bin.index.json", "pytorch_model.bin"];

    /// <summary>The files a trainer writes beside a checkpoint's weights that hold no weights: never taken for a checkpoint.</summary>
    public static readonly IReadOnlyList<string> TrainerFilePatterns =
        ["optimizer.pt", "optimizer.bin", "scheduler.pt", "scaler.pt", "rng_state*.pth", "training_args.bin"];

    /// <summary>The weights file of a checkpoint folder, or null when the folder holds none of <see cref="WeightNames"/>.</summary>
    public static string? WeightsIn(string folder) =>
        WeightNames.Select(name => Path.Combine(folder, name)).FirstOrDefault(File.Exists);

    /// <summary>Every file whose bytes make up the checkpoint at <paramref name="path"/>: the file, or an index and its shards.</summary>
    /// <exception cref="CheckpointException">a folder without weights, or an index that cannot be read.</exception>
    public static IReadOnlyList<string> FilesOf(string path)
    {
        var weights = WeightsPath(path);
        return ShardedCheckpoint.IsIndexName(weights) ? [weights, .. ShardedCheckpoint.Shards(weights)] : [weights];
    }

    /// <summary>The file a checkpoint path stands for: itself, or the weights of a checkpoint folder.</summary>
    /// <exception cref="CheckpointException">a folder that holds none of <see cref="WeightNames"/>.</exception>
    public static string WeightsPath(string path)
    {
        if (!Directory.Exists(path))
            return path;
        return WeightsIn(path) ?? throw new CheckpointException(path,
            $"the folder holds no checkpoint weights (none of {string.Join(", ", WeightNames)}).",
            "Point at the checkpoint file itself, or at a folder holding the model's weights under one of those names (as save_pretrained and Hugging Face's Trainer write them).");
    }
}
