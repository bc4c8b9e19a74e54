namespace ProbeGrid.Analysis.Data;

/// <summary>
/// Where a split's inputs come from when they are not one float array in memory: compact pixels normalised per batch,
/// or image files decoded as the batches are asked for. A <see cref="LabeledData"/> with a source hands its inputs out
/// a batch or a few samples at a time, never all at once, so a split may be larger than memory or than one array.
/// </summary>
public interface IInputSource
{
    /// <summary>Samples in the split.</summary>
    int Count { get; }

    /// <summary>Float values in one sample.</summary>
    int SampleSize { get; }

    /// <summary>Bytes the source keeps in memory between batches (its pixels; for a streamed split, nothing but its file list).</summary>
    long HeldBytes { get; }

    /// <summary>How the inputs are held, for messages, e.g. "streamed from 50,000 image files".</summary>
    string Description { get; }

    /// <summary>Writes samples [start, start + count) as float32 values, one sample after another, into <paramref name="target"/>.</summary>
    void Read(int start, int count, Span<float> target);

    /// <summary>
    /// Consecutive batches of <paramref name="batchSize"/> samples from the first (the last may be shorter), in order, each a new
    /// array of count x <see cref="SampleSize"/> values. A source may prepare later batches while the caller works on this one.
    /// </summary>
    IEnumerable<float[]> Batches(int batchSize, CancellationToken ct);
}
