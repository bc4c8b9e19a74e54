using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// The identity of a checkpoint's content: the SHA-256 of its bytes, in lower-case hex. A sweep's plan
/// records it, so a file rewritten in place is noticed; activation caches are keyed by it, so a
/// cache entry can never stand for other weights. Hashing is remembered per (path, size, write time),
/// so a process reads each file once for its hash.
/// </summary>
public static class CheckpointFingerprint
{
    private static readonly ConcurrentDictionary<(string Path, long Length, long WriteTicks), string> Known = new();

    /// <exception cref="IOException">the file cannot be read.</exception>
    public static string Of(string path)
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
