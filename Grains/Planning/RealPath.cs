namespace ProbeGrid.Grains.Planning;

/// <summary>
/// A path with every symbolic link in it resolved, segment by segment (POSIX <c>realpath</c>
/// semantics), so a link anywhere along the path, not only its last segment, is judged by where it
/// leads. A link's target is read relative to the folder the link sits in, and a <c>..</c> in a
/// target climbs from that real folder. Segments that do not exist (yet) are kept as written.
/// </summary>
public static class RealPath
{
    /// <summary>The most links followed for one path, as Linux allows (ELOOP beyond): a loop ends here.</summary>
    public const int MaxLinks = 40;

    /// <returns>The absolute resolved path, or null when resolving it needs more than <see cref="MaxLinks"/> links (a loop).</returns>
    public static string? Of(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        PushFront(pending, full[current.Length..]);
        var links = 0;
        var exists = true; // below a segment that does not exist there is nothing to resolve
        while (pending.Count > 0)
        {
            var segment = pending.Pop();
            if (segment == ".")
                continue;
            if (segment == "..")
            {
                current = Path.GetDirectoryName(current) ?? current; // ".." of the file system root is the root
                continue;
            }
            var next = Path.Join(current, segment);
            if (exists)
            {
                var target = LinkTarget(next);
                if (target is not null)
                {
                    if (++links > MaxLinks)
                        return null;
                    if (Path.IsPathRooted(target))
                    {
                        current = Path.GetPathRoot(target)!;
                        target = target[current.Length..];
                    }
                    PushFront(pending, target);
                    continue;
                }
                exists = Path.Exists(next);
            }
            current = next;
        }
        return current;
    }

    private static void PushFront(Stack<string> pending, string relative)
    {
        var segments = relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 1; i >= 0; i--)
            pending.Push(segments[i]);
    }

    /// <summary>The text of the link at <paramref name="path"/>, or null when it is not a link (or cannot be read, so cannot be opened either).</summary>
    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
