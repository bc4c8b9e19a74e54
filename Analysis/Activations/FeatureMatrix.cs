using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// One layer's activations for a set of samples: <see cref="Rows"/> samples of
/// <see cref="Columns"/> features each, row-major in managed memory so it can be cached, exported
/// and shipped without holding native tensor memory.
/// </summary>
public sealed class FeatureMatrix
{
    public FeatureMatrix(float[] data, int rows, int columns)
    {
        if (rows < 0 || columns < 0 || (long)rows * columns != data.LongLength)
            throw new ArgumentException($"a {rows} x {columns} feature matrix needs {(long)rows * columns} values, not {data.LongLength}");
        Data = data;
        Rows = rows;
        Columns = columns;
    }

    public float[] Data { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>The features of one sample.</summary>
    public ReadOnlySpan<float> Row(int index) => Data.AsSpan(index * Columns, Columns);

    /// <summary>
    /// A float32 tensor [Rows, Columns] of these features in native memory, freed when it is disposed (torch.tensor(float[])
    /// would keep them in a pinned managed copy that stays resident as garbage after the tensor is disposed).
    /// </summary>
    internal Tensor ToTensor(Device device)
    {
        var tensor = NativeRows.Write<float>(Rows, Columns, ScalarType.Float32, (r, target) => Row(r).CopyTo(target));
        if (device.type == DeviceType.CPU) return tensor;
        using (tensor) return tensor.to(device).DetachFromDisposeScope();
    }
}
