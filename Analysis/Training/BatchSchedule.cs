using TorchSharp;

namespace ProbeGrid.Analysis.Training;

/// <summary>
/// Which samples make up the mini-batch of each step. Each epoch's order is a permutation drawn
/// from a generator seeded by (seed, epoch) alone, so the batch of any step can be recomputed
/// without replaying earlier epochs: that is what lets a resumed run see exactly the data an
/// uninterrupted one would have. The incomplete last batch of an epoch is dropped.
/// </summary>
internal sealed class BatchSchedule
{
    private readonly int sampleCount;
    private readonly long seed;
    private long cachedEpoch = -1;
    private long[] permutation = [];

    public BatchSchedule(int sampleCount, int batchSize, long seed)
    {
        this.sampleCount = sampleCount;
        this.seed = seed;
        BatchSize = Math.Min(batchSize, sampleCount);
        BatchesPerEpoch = sampleCount / BatchSize;
    }

    /// <summary>The batch size used: the requested one, or the whole data set when smaller.</summary>
    public int BatchSize { get; }

    public int BatchesPerEpoch { get; }

    /// <summary>Sample indices of the batch that step <paramref name="step"/> (0-based) trains on.</summary>
    public ReadOnlySpan<long> Indices(long step)
    {
        var epoch = step / BatchesPerEpoch;
        if (epoch != cachedEpoch)
        {
            using var generator = new torch.Generator(EpochSeed(seed, epoch));
            using var order = torch.randperm(sampleCount, generator: generator);
            permutation = order.data<long>().ToArray();
            cachedEpoch = epoch;
        }
        var batch = (int)(step % BatchesPerEpoch);
        return permutation.AsSpan(batch * BatchSize, BatchSize);
    }

    /// <summary>SplitMix64 of seed and epoch: neighbouring seeds and epochs give unrelated streams, unlike seed + epoch.</summary>
    private static ulong EpochSeed(long seed, long epoch)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)(epoch + 1) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
