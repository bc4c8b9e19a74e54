using System.Security.Cryptography;
using System.Text;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Names one set of cached activations by everything that produced them: the weights (a checkpoint's
/// content hash, or a description of untrained weights), the samples, the reduction and the version of
/// the extraction code. Two analyses of the same checkpoint and data share the entry; a checkpoint
/// rewritten with other weights, other data or a changed extractor never does.
/// </summary>
public sealed record ActivationCacheKey(string Text)
{
    /// <summary>
    /// The version of the code that turns weights and samples into cached features (extractor, reducer,
    /// .npy layout). Bump it whenever that code would write other numbers: old entries are then never read.
    /// </summary>
    public const int ExtractionVersion = 2;

    /// <summary>The folder name of the entry: a short hash of <see cref="Text"/>.</summary>
    public string Hash { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)))[..24];

    /// <param name="weights">what the network's weights are: <see cref="Checkpoint"/> of a file's content hash, or a description of untrained weights (architecture, parameters, seed).</param>
    /// <param name="data">a description of the samples (data set, parameters, seed, split).</param>
    public static ActivationCacheKey For(string weights, string data, Reduction reduction) =>
        new($"version={ExtractionVersion}\nweights={weights}\ndata={data}\nreduction={reduction}");

    /// <summary>The weights of a checkpoint file, named by the SHA-256 of its content (see CheckpointFingerprint), not by its path or time.</summary>
    public static string Checkpoint(string contentHash) => $"checkpoint sha256:{contentHash}";
}
