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

    /// <summary>The full path of <paramref name="path"/> (relative paths against <paramref name="baseDirectory"/>), or null when it lies outside every root.</summary>
    public string? Resolve(string path, string baseDirectory)
    {
        var full = Path.GetFullPath(path, baseDirectory);
        // A symbolic link is judged by where it points, not where it sits.
        var target = ResolveLinks(full);
        return Roots.Any(root => IsUnder(full, root)) && Roots.Any(root => IsUnder(target, root)) ? full : null;
    }

    public string Describe() => string.Join(", ", Roots);

    private static bool IsUnder(string path, string root) =>
        path == root || path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || root == "/";

    private static string ResolveLinks(string full)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
            return info.LinkTarget is null ? full : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }
}
