using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// Labelled samples held in managed memory (row-major, one sample after another). Tensors are
/// made per batch by the caller, so a data set never pins native memory between jobs.
/// </summary>
public sealed record LabeledData(float[] Inputs, long[] SampleShape, long[] Labels, int ClassCount)
{
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

    /// <summary>Samples [start, start + count) as a new data set.</summary>
    public LabeledData Slice(int start, int count) => this with
    {
        Inputs = Inputs.AsSpan(start * SampleSize, count * SampleSize).ToArray(),
        Labels = Labels.AsSpan(start, count).ToArray(),
    };
}
