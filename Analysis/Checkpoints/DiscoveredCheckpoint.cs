namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// A checkpoint found by <see cref="CheckpointDiscovery"/>: its full path, its training step when
/// known (from the index or the file name), when it was written (UTC) and the training loss the
/// index recorded for it, if any.
/// </summary>
public sealed record DiscoveredCheckpoint(string Path, long? Step, DateTime WrittenAt, double? TrainLoss)
{
    private static readonly string[] CheckpointExtensions = [".index.json", ".safetensors", ".bin", ".pth", ".pt"];

    /// <summary>
    /// The name results show for it: the file name without its checkpoint extensions (<c>step-200.safetensors.index.json</c>
    /// is <c>step-200</c>), or the folder's name (<c>checkpoint-500</c>).
    /// </summary>
    public string Name => NameOf(Path);

    /// <summary>The file or folder name of <paramref name="path"/> with its checkpoint extensions removed.</summary>
    public static string NameOf(string path)
    {
        var name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(path));
        foreach (var extension in CheckpointExtensions)
            if (name.Length > extension.Length && name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                name = name[..^extension.Length];
        return name;
    }

    /// <summary>Listed in the folder's index.json, whose writer lists a checkpoint only once its file is whole (as `probegrid train` does).</summary>
    public bool Recorded { get; init; }
}
