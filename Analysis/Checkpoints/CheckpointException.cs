namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// A checkpoint (or checkpoint folder) that cannot be used. The message names the file, lists
/// every problem found (not just the first) and says how to fix it.
/// </summary>
public sealed class CheckpointException : Exception
{
    public CheckpointException(string path, IReadOnlyList<string> problems, string fix, Exception? inner = null)
        : base(Format(path, problems, fix), inner)
    {
        FilePath = path;
        Problems = problems;
        Fix = fix;
    }

    public CheckpointException(string path, string problem, string fix, Exception? inner = null)
        : this(path, [problem], fix, inner) { }

    /// <summary>The checkpoint file or folder concerned.</summary>
    public string FilePath { get; }

    public IReadOnlyList<string> Problems { get; }

    public string Fix { get; }

    private static string Format(string path, IReadOnlyList<string> problems, string fix)
    {
        var nl = Environment.NewLine;
        var header = problems.Count == 1 ? $"Checkpoint '{path}': {problems[0]}" : $"Checkpoint '{path}' has {problems.Count} problems:{nl}  - {string.Join($"{nl}  - ", problems)}";
        return $"{header}{nl}Fix: {fix}";
    }
}
