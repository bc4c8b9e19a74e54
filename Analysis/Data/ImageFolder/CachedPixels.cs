using System.Globalization;

namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// A split's images after resize and crop, as bytes (a quarter of the normalised floats), normalised per batch when read.
/// The bytes are whole levels before ToTensor's division, so the floats read are those the loader would have stored. They
/// live in arrays of at most <see cref="ChunkBytes"/>, so a split is bounded by memory, not by the size of one array.
/// </summary>
public sealed class CachedPixels : IInputSource
{
    /// <summary>The most bytes one of its arrays holds (whole samples; a sample larger than this has an array of its own).</summary>
    public const int ChunkBytes = 64 << 20;

    private readonly ImageTransform transform;
    private readonly byte[][] chunks;
    private readonly int samplesPerChunk;

    public CachedPixels(int count, ImageTransform transform)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        this.transform = transform;
        Count = count;
        SampleSize = transform.SampleSize;
        samplesPerChunk = Math.Max(1, ChunkBytes / SampleSize);
        chunks = new byte[(count + samplesPerChunk - 1) / samplesPerChunk][];
        for (var i = 0; i < chunks.Length; i++)
            chunks[i] = GC.AllocateUninitializedArray<byte>(Math.Min(samplesPerChunk, count - i * samplesPerChunk) * SampleSize);
    }

    public int Count { get; }

    public int SampleSize { get; }

    public long HeldBytes => (long)Count * SampleSize;

    public string Description =>
        string.Create(CultureInfo.InvariantCulture, $"held as bytes ({HeldBytes / (1024.0 * 1024):N1} MiB), normalised per batch");

    /// <summary>Sample <paramref name="sample"/>'s bytes, for the loader to crop an image into.</summary>
    public Span<byte> Pixels(int sample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sample);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sample, Count);
        return chunks[sample / samplesPerChunk].AsSpan(sample % samplesPerChunk * SampleSize, SampleSize);
    }

    public void Read(int start, int count, Span<float> target)
    {
        if (start < 0 || count < 0 || start + count > Count) throw new ArgumentOutOfRangeException(nameof(count), $"samples {start} to {start + count} of {Count}");
        if (target.Length != count * SampleSize) throw new ArgumentException($"the target holds {target.Length} floats, {count} samples {count * SampleSize}", nameof(target));
        // A run of samples within one chunk is normalised in one call.
        for (var done = 0; done < count;)
        {
            var sample = start + done;
            var run = Math.Min(count - done, samplesPerChunk - sample % samplesPerChunk);
            var bytes = chunks[sample / samplesPerChunk].AsSpan(sample % samplesPerChunk * SampleSize, run * SampleSize);
            transform.Normalize(bytes, target.Slice(done * SampleSize, run * SampleSize));
            done += run;
        }
    }

    /// <summary>Batch by batch as asked: normalising is a table look-up per value, far quicker than the forward pass that reads it.</summary>
    public IEnumerable<float[]> Batches(int batchSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        for (var start = 0; start < Count; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var count = Math.Min(batchSize, Count - start);
            var values = GC.AllocateUninitializedArray<float>(count * SampleSize);
            Read(start, count, values);
            yield return values;
        }
    }
}
