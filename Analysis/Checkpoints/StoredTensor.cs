using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>Where one named tensor lies in a checkpoint file: read its layout first, its bytes only once everything matches.</summary>
internal sealed record StoredTensor(string Name, ScalarType DType, long[] Shape, long Offset, long ByteLength)
{
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <summary>Its place among the file's tensors (from 0): how a message names a tensor whose name is not shown.</summary>
    public int Index { get; init; }

    /// <summary>Bytes per element of the dtypes a checkpoint may hold; null for ones ProbeGrid cannot read.</summary>
    public static int? ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.ComplexFloat64 => 16,
        _ => null,
    };

    /// <summary>Element count times element size, or null on overflow (a corrupt header).</summary>
    public static long? ByteCount(long[] shape, int elementSize)
    {
        try
        {
            return checked(shape.Aggregate(1L, (a, b) => a * b) * elementSize);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>Reads the tensor's bytes from an open checkpoint file, in the stored dtype.</summary>
    public Tensor ReadFrom(FileStream stream)
    {
        stream.Position = Offset;
        var tensor = empty(Shape, dtype: DType);
        tensor.ReadBytesFromStream(stream);
        return tensor;
    }
}
