using System.IO.Hashing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Activations on local disk, one .npy file per tap under a folder per <see cref="ActivationCacheKey"/>,
/// so several analyses (and a resumed sweep) extract a checkpoint once. Each .npy file has a checksum file
/// beside it (<see cref="CacheEntryChecksum"/>: the file's XxHash128 and the key and tap that produced it), checked
/// on every read in the same pass that parses it. The cache is scratch: an entry that is unreadable, has no
/// checksum, does not match it or came from another key is logged as a warning, deleted and computed again,
/// never returned. Taps whose activations are not finite are returned as such and never stored.
/// </summary>
public sealed class ActivationCache(string root, ILogger? logger = null)
{
    private readonly ILogger log = logger ?? NullLogger.Instance;

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>
    /// The activations of <paramref name="taps"/> under <paramref name="key"/>: read from disk where
    /// present and verified, the rest computed by <paramref name="compute"/> (called at most once, with the
    /// missing taps) and stored, except the taps it reports as not finite.
    /// </summary>
    public ExtractedActivations GetOrCompute(
        ActivationCacheKey key, IReadOnlyCollection<string> taps, Func<IReadOnlyCollection<string>, ExtractedActivations> compute)
    {
        var folder = Path.Combine(Root, key.Hash);
        var features = new Dictionary<string, FeatureMatrix>(StringComparer.Ordinal);
        foreach (var tap in taps)
        {
            var cached = TryRead(CacheEntryChecksum.ProducerOf(key, tap), PathOf(folder, tap));
            if (cached is not null) features[tap] = cached;
        }

        var missing = taps.Where(t => !features.ContainsKey(t)).ToList();
        if (missing.Count == 0) return ExtractedActivations.AllFinite(features);

        var computed = compute(missing);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "key.txt"), key.Text);
        foreach (var tap in missing)
        {
            if (!computed.Features.TryGetValue(tap, out var matrix)) continue; // not finite: reported, never cached
            Write(CacheEntryChecksum.ProducerOf(key, tap), PathOf(folder, tap), matrix);
            features[tap] = matrix;
        }
        return new ExtractedActivations(features, computed.NonFinite);
    }

    /// <summary>
    /// Whether <paramref name="tap"/> has an entry under <paramref name="key"/> with this key's checksum file, without reading the data:
    /// a job that only fills the cache skips it. Its data is still verified when it is read (and recomputed then if damaged).
    /// </summary>
    public bool Contains(ActivationCacheKey key, string tap)
    {
        var path = PathOf(Path.Combine(Root, key.Hash), tap);
        return File.Exists(path) && CacheEntryChecksum.TryRead(path)?.Producer == CacheEntryChecksum.ProducerOf(key, tap);
    }

    /// <summary>The data first, then its checksum: a reader never finds a checksum for data that is not all there.</summary>
    private static void Write(string producer, string path, FeatureMatrix matrix)
    {
        var hash = new XxHash128();
        AtomicFile.Write(path, stream =>
        {
            using var hashing = new HashingStream(stream, hash);
            NpyFile.WriteMatrix(hashing, matrix);
        });
        new CacheEntryChecksum(producer, Convert.ToHexStringLower(hash.GetCurrentHash())).Write(path);
    }

    private FeatureMatrix? TryRead(string producer, string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var checksum = CacheEntryChecksum.TryRead(path);
            if (checksum is null)
                return Discard(path, "has no valid checksum file (an older ProbeGrid wrote it, or its writer was stopped before finishing)");
            if (checksum.Producer != producer)
                return Discard(path, "was produced by other weights, data, reduction, extraction code or tap than this entry's (its checksum file names another producer)");

            var hash = new XxHash128();
            FeatureMatrix matrix;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            using (var hashing = new HashingStream(file, hash))
            {
                matrix = NpyFile.ReadMatrix(hashing, path);
                hashing.CopyTo(Stream.Null); // bytes after the data are part of the file the checksum covers
            }
            var actual = Convert.ToHexStringLower(hash.GetCurrentHash());
            if (actual != checksum.DataHash)
                return Discard(path, $"does not match its checksum (recorded xxh128 {checksum.DataHash}, the file now hashes to {actual}): it was altered or damaged on disk");
            return matrix;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or OverflowException)
        {
            return Discard(path, $"is unreadable ({e.Message})");
        }
    }

    /// <summary>Logs why an entry cannot be used, deletes it and its checksum, and answers "not cached".</summary>
    private FeatureMatrix? Discard(string path, string problem)
    {
        log.LogWarning("Activation cache entry {Path} {Problem}; recomputing it", path, problem);
        File.Delete(path);
        File.Delete(CacheEntryChecksum.PathOf(path));
        return null;
    }

    private static string PathOf(string folder, string tap) => Path.Combine(folder, FileNameOf(tap));

    /// <summary>Tap names are identifiers with dots; anything else is replaced so the name is a safe file name.</summary>
    public static string FileNameOf(string tap) =>
        new string(tap.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()) + ".npy";
}
