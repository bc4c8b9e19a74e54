using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Activations on local disk, one .npy file per tap under a folder per <see cref="ActivationCacheKey"/>,
/// so several analyses (and a resumed sweep) extract a checkpoint once. The cache is scratch:
/// an unreadable entry is logged, deleted and computed again.
/// </summary>
public sealed class ActivationCache(string root, ILogger? logger = null)
{
    private readonly ILogger log = logger ?? NullLogger.Instance;

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>
    /// The activations of <paramref name="taps"/> under <paramref name="key"/>: read from disk where
    /// present, the rest computed by <paramref name="compute"/> (called at most once, with the
    /// missing taps) and stored.
    /// </summary>
    public IReadOnlyDictionary<string, FeatureMatrix> GetOrCompute(
        ActivationCacheKey key, IReadOnlyCollection<string> taps,
        Func<IReadOnlyCollection<string>, IReadOnlyDictionary<string, FeatureMatrix>> compute)
    {
        var folder = Path.Combine(Root, key.Hash);
        var result = new Dictionary<string, FeatureMatrix>(StringComparer.Ordinal);
        foreach (var tap in taps)
        {
            var cached = TryRead(PathOf(folder, tap));
            if (cached is not null) result[tap] = cached;
        }

        var missing = taps.Where(t => !result.ContainsKey(t)).ToList();
        if (missing.Count == 0) return result;

        var computed = compute(missing);
        Directory.CreateDirectory(folder);
        AtomicFile.WriteAllText(Path.Combine(folder, "key.txt"), key.Text);
        foreach (var tap in missing)
        {
            var matrix = computed[tap];
            AtomicFile.Write(PathOf(folder, tap), stream => NpyFile.WriteMatrix(stream, matrix));
            result[tap] = matrix;
        }
        return result;
    }

    private FeatureMatrix? TryRead(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new BufferedStream(File.OpenRead(path), 1 << 20);
            return NpyFile.ReadMatrix(stream, path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or OverflowException)
        {
            log.LogWarning("Activation cache entry {Path} is unreadable ({Reason}); recomputing it", path, e.Message);
            File.Delete(path);
            return null;
        }
    }

    private static string PathOf(string folder, string tap) => Path.Combine(folder, FileNameOf(tap));

    /// <summary>Tap names are identifiers with dots; anything else is replaced so the name is a safe file name.</summary>
    public static string FileNameOf(string tap) =>
        new string(tap.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray()) + ".npy";
}
