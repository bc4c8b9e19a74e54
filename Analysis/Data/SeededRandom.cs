namespace ProbeGrid.Analysis.Data;

/// <summary>
/// Creates independent, reproducible <see cref="Random"/> instances from a 64-bit seed and a
/// stream number. Each call returns a fresh generator (no shared state, so callers on any thread
/// are safe). The seed and stream are mixed with SplitMix64 before being narrowed to the 32-bit
/// seed <see cref="Random"/> takes, so seeds that differ only in high bits, or neighbouring seeds
/// and streams, do not give related sequences.
/// </summary>
internal static class SeededRandom
{
    public static Random Create(long seed, int stream)
    {
        var z = unchecked((ulong)seed + 0x9E3779B97F4A7C15UL * (ulong)(uint)(stream + 1));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        // A seeded Random uses the legacy algorithm, which .NET keeps unchanged for reproducibility.
        return new Random(unchecked((int)(z ^ (z >> 32))));
    }

    /// <summary>A uniformly random permutation of 0..count-1 (Fisher–Yates).</summary>
    public static int[] Permutation(int count, Random random)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
