using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// The identity of a checkpoint's content: the SHA-256 of its bytes, in lower-case hex. A sweep's plan
/// records it, so a file rewritten in place is noticed; activation caches are keyed by it, so a
/// cache entry can never stand for other weights. A sharded checkpoint's covers its index and every shard
/// (the SHA-256 of each file's name and hash, in the index's order); a checkpoint folder's is its weights'.
/// Hashing is remembered per (path, size, write time), so a process reads each file once for its hash.
/// </summary>
public static class CheckpointFingerprint
{
    private static readonly ConcurrentDictionary<(string Path, long Length, long WriteTicks), string> Known = new();

    /// <param name="path">a checkpoint file, a sharded checkpoint's index, or a checkpoint folder.</param>
    /// <exception cref="IOException">a file cannot be read (a missing shard: <see cref="FileNotFoundException"/>).</exception>
    /// <exception cref="CheckpointException">a folder without weights, or an index that cannot be read.</exception>
    public static string Of(string path)
    {
        if (!Directory.Exists(path) && !ShardedCheckpoint.IsIndexName(path))
            return OfFile(path);
        var files = CheckpointFolder.FilesOf(path);
        if (files.Count == 1)
            return OfFile(files[0]);
        var combined = new StringBuilder();
        foreach (var file in files)
            combined.Append(Path.GetFileName(file)).Append('\0').Append(OfFile(file)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(combined.ToString())));
    }

    private static string OfFile(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new FileNotFoundException($"{file.FullName} does not exist", file.FullName);
        var identity = (file.FullName, file.Length, file.LastWriteTimeUtc.Ticks);
        if (Known.TryGetValue(identity, out var known)) return known;
        using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        Known[identity] = hash;
        return hash;
    }
}
