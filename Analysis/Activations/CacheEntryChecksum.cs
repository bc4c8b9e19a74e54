using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ProbeGrid.Analysis.Checkpoints;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// The checksum file beside one cached .npy file (<c>TAP.npy.sum</c>): the XxHash128 of the .npy file's
/// bytes and its producer, a digest of the entry's key and the tap (two taps may share a file name). Written atomically after the data, so an entry
/// without one is unfinished or from an older ProbeGrid. The .npy file itself stays a plain NumPy file.
/// </summary>
internal sealed record CacheEntryChecksum(string Producer, string DataHash)
{
    private const string Header = "probegrid activation cache checksum 1";

    public static string PathOf(string npyPath) => npyPath + ".sum";

    /// <summary>The SHA-256 (hex) of the key's text and the tap's name: what made the data.</summary>
    public static string ProducerOf(ActivationCacheKey key, string tap) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key.Text}\ntap={tap}")));

    public void Write(string npyPath) =>
        AtomicFile.WriteAllText(PathOf(npyPath), string.Create(CultureInfo.InvariantCulture, $"{Header}\nproducer {Producer}\nxxh128 {DataHash}\n"));

    /// <summary>The checksum recorded for <paramref name="npyPath"/>; null when there is none or it is not one this code wrote.</summary>
    public static CacheEntryChecksum? TryRead(string npyPath)
    {
        var path = PathOf(npyPath);
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path);
        if (lines.Length != 3 || lines[0] != Header || !lines[1].StartsWith("producer ", StringComparison.Ordinal) || !lines[2].StartsWith("xxh128 ", StringComparison.Ordinal))
            return null;
        return new CacheEntryChecksum(lines[1]["producer ".Length..], lines[2]["xxh128 ".Length..]);
    }
}
