namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Tells which of the checkpoints a following sweep finds are whole, so a half-written file is never read. A
/// checkpoint listed in index.json is whole (its writer lists it only once the file is on disk, as `probegrid train`
/// does). Any other is whole once its files' size and modification time have stayed the same for the settle period
/// (counted from the last write, and across looks) and its header parses. One whose header still does not parse a
/// settle period later is let through as it is: its units then fail with the cause, and the sweep goes on.
/// Kept in memory by the sweep's activation: after a restart a file is observed afresh.
/// </summary>
/// <param name="settle">how long a file must stay unchanged before it is read.</param>
/// <param name="headerProblem">why the checkpoint's header cannot be read, or null (default: <see cref="CheckpointFile.CheckReadable"/>).</param>
public sealed class CheckpointArrivals(TimeSpan settle, Func<string, string?>? headerProblem = null)
{
    private readonly Dictionary<string, Observation> seen = new(StringComparer.Ordinal);
    private readonly Func<string, string?> problemOf = headerProblem ?? ReadableProblem;

    /// <summary>The checkpoints of <paramref name="found"/> that are whole at <paramref name="now"/>, in the order given, and how many are not yet.</summary>
    public (IReadOnlyList<DiscoveredCheckpoint> Whole, int Waiting) Sort(IEnumerable<DiscoveredCheckpoint> found, DateTime now)
    {
        var whole = new List<DiscoveredCheckpoint>();
        var waiting = 0;
        foreach (var checkpoint in found)
        {
            if (checkpoint.Recorded || IsWhole(checkpoint.Path, now))
            {
                whole.Add(checkpoint);
                seen.Remove(checkpoint.Path);
            }
            else waiting++;
        }
        return (whole, waiting);
    }

    private bool IsWhole(string path, DateTime now)
    {
        if (Stat(path) is not var (length, writtenAt))
        {
            seen.Remove(path); // a file of it is missing (a shard not written yet): observe it afresh
            return false;
        }
        if (!seen.TryGetValue(path, out var before) || before.Length != length || before.WrittenAt != writtenAt)
            seen[path] = before = new Observation(length, writtenAt, writtenAt < now ? writtenAt : now, null);
        if (now - before.StableSince < settle) return false;
        if (problemOf(path) is null) return true;
        // Unchanged for a settle period yet unreadable: a writer that paused, or a broken file. Give it one more period.
        if (before.HeaderFailedAt is null)
        {
            seen[path] = before with { HeaderFailedAt = now };
            return false;
        }
        return now - before.HeaderFailedAt.Value >= settle;
    }

    /// <summary>The total size and the latest write time of the checkpoint's files; null when one is missing or cannot be listed yet.</summary>
    private static (long Length, DateTime WrittenAt)? Stat(string path)
    {
        try
        {
            long length = 0;
            var writtenAt = DateTime.MinValue;
            foreach (var file in CheckpointFolder.FilesOf(path).Select(f => new FileInfo(f)))
            {
                if (!file.Exists) return null;
                length += file.Length;
                if (file.LastWriteTimeUtc > writtenAt) writtenAt = file.LastWriteTimeUtc;
            }
            return (length, writtenAt);
        }
        catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
        {
            return null; // a sharded index still being written, or a folder without its weights yet
        }
    }

    private static string? ReadableProblem(string path)
    {
        try
        {
            CheckpointFile.CheckReadable(path);
            return null;
        }
        catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private sealed record Observation(long Length, DateTime WrittenAt, DateTime StableSince, DateTime? HeaderFailedAt);
}
