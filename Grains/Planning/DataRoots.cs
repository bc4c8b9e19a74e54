namespace ProbeGrid.Grains.Planning;

/// <summary>
/// The folders a sweep may read checkpoints and data from (a shared volume on a cluster).
/// Nothing outside them is opened, so a spec cannot make a silo read arbitrary files.
/// </summary>
public sealed class DataRoots
{
    public DataRoots(IEnumerable<string> roots)
    {
        Roots = roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))).Distinct().ToArray();
        if (Roots.Count == 0) throw new ArgumentException("at least one data root is needed", nameof(roots));
    }

    public IReadOnlyList<string> Roots { get; }

    /// <summary>
    /// The full path of <paramref name="path"/> (relative paths against <paramref name="baseDirectory"/>,
    /// without a trailing separator), or null when it lies outside every root. A path is inside a root when its text is (after
    /// <c>..</c> are folded) and when its real form, with every symbolic link along it resolved, is
    /// the real form of a root or below it: a link is judged by where it leads, wherever it sits.
    /// </summary>
    public string? Resolve(string path, string baseDirectory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path, baseDirectory));
        if (!Roots.Any(root => IsUnder(full, root)))
            return null;
        var real = RealPath.Of(full);
        return real is not null && Roots.Any(root => RealPath.Of(root) is { } realRoot && IsUnder(real, realRoot)) ? full : null;
    }

    public string Describe() => string.Join(", ", Roots);

    /// <summary>Whether <paramref name="path"/> is <paramref name="root"/> or below it (whole segments: /data2 is not below /data).</summary>
    private static bool IsUnder(string path, string root)
    {
        var folder = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar; // "/" already ends in one
        return path == root || path.StartsWith(folder, StringComparison.Ordinal);
    }
}
