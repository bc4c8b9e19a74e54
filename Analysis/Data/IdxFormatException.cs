namespace ProbeGrid.Analysis.Data;

/// <summary>
/// An IDX file (or a pair of them) that cannot be used: wrong magic, header, size, element type,
/// corrupt compression, or contents that contradict each other. The message names the file,
/// what is wrong and how to fix it. An <see cref="IOException"/> (InvalidDataException is sealed),
/// so one <c>catch (IOException)</c> covers both a missing and a damaged data file.
/// </summary>
public sealed class IdxFormatException : IOException
{
    public IdxFormatException(string path, string problem, string fix, Exception? innerException = null)
        : base($"{path}: {problem}. Fix: {fix}.", innerException)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file whose contents are wrong.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the path and the fix.</summary>
    public string Problem { get; }
}
