using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Names one set of cached activations: which weights, which samples, which reduction. Two
/// analyses of the same checkpoint and data share the entry; a rewritten checkpoint file does not.
/// </summary>
public sealed record ActivationCacheKey(string Text)
{
    /// <summary>The folder name of the entry: a short hash of <see cref="Text"/>.</summary>
    public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)))[..24];

    /// <param name="source">a checkpoint file (its size and write time become part of the key) or a description of untrained weights.</param>
    /// <param name="data">a description of the samples (data set, parameters, seed, split).</param>
    public static ActivationCacheKey For(string source, string data, Reduction reduction)
    {
        var weights = source;
        if (File.Exists(source))
        {
            var file = new FileInfo(source);
            weights = string.Create(CultureInfo.InvariantCulture, $"{file.FullName}|{file.Length}|{file.LastWriteTimeUtc.Ticks}");
        }
        return new ActivationCacheKey($"weights={weights}\ndata={data}\nreduction={reduction}");
    }
}
