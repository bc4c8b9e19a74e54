using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// Labelled samples held in managed memory (row-major, one sample after another). Tensors are
/// made per batch by the caller, so a data set never pins native memory between jobs.
/// Single-label data has a class index per sample in <see cref="Labels"/>; multi-label data
/// (e.g. mosaics) has a 0/1 row per sample in <see cref="LabelSets"/> and -1 in <see cref="Labels"/>,
/// since no one class stands for the sample.
/// </summary>
public sealed record LabeledData(float[] Inputs, long[] SampleShape, long[] Labels, int ClassCount)
{
    /// <summary>Multi-hot targets, <see cref="Count"/> rows of <see cref="ClassCount"/> (row-major), or null for single-label data.</summary>
    public float[]? LabelSets { get; init; }

    public bool IsMultiLabel => LabelSets is not null;

    public int Count => Labels.Length;

    public int SampleSize { get; } = checked((int)SampleShape.Aggregate(1L, (a, b) => a * b));

    /// <summary>Inputs of samples [start, start + count) as a tensor of shape [count, ..SampleShape].</summary>
    public Tensor InputBatch(int start, int count)
    {
        var shape = new long[SampleShape.Length + 1];
        shape[0] = count;
        SampleShape.CopyTo(shape, 1);
        return torch.tensor(Inputs.AsSpan(start * SampleSize, count * SampleSize).ToArray(), shape);
    }

    /// <summary>Labels of samples [start, start + count) as an int64 tensor.</summary>
    public Tensor LabelBatch(int start, int count) => torch.tensor(Labels.AsSpan(start, count).ToArray(), ScalarType.Int64);

    /// <summary>Label sets of samples [start, start + count) as a float tensor [count, ClassCount] (multi-label data only).</summary>
    /// <exception cref="InvalidOperationException">The data is single-label: use <see cref="LabelBatch"/>.</exception>
    public Tensor TargetBatch(int start, int count) => LabelSets is { } sets
        ? torch.tensor(sets.AsSpan(start * ClassCount, count * ClassCount).ToArray(), [count, ClassCount])
        : throw new InvalidOperationException("single-label data has no label sets: use LabelBatch");

    /// <summary>Samples [start, start + count) as a new data set.</summary>
    public LabeledData Slice(int start, int count) => this with
    {
        Inputs = Inputs.AsSpan(start * SampleSize, count * SampleSize).ToArray(),
        Labels = Labels.AsSpan(start, count).ToArray(),
        LabelSets = LabelSets?.AsSpan(start * ClassCount, count * ClassCount).ToArray(),
    };
}
