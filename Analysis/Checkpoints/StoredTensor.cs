using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Where one named tensor lies in a checkpoint: read its layout first, its bytes only once everything matches.
/// Raw formats (TorchSharp's, safetensors) give a byte range of <see cref="File"/>; a PyTorch pickle gives
/// the zip entry of its storage (<see cref="Pickled"/>).
/// </summary>
internal sealed record StoredTensor(string Name, ScalarType DType, long[] Shape, long Offset, long ByteLength)
{
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <summary>The file holding its bytes (a shard of a sharded checkpoint, else the checkpoint file itself).</summary>
    public string File { get; init; } = "";

    /// <summary>For a tensor of a PyTorch pickle: its storage's zip entry and its place in that storage.</summary>
    public PickledStorage? Pickled { get; init; }

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

    /// <summary>TorchSharp copies through a buffer of this size; its default (1 KiB) makes large reads several times slower.</summary>
    public const int ReadBufferBytes = 1 << 20;

    /// <summary>The buffer for reading <paramref name="bytes"/>: TorchSharp allocates one per read, so a small tensor gets a small one.</summary>
    public static int BufferFor(long bytes) => (int)Math.Clamp(bytes, 1, ReadBufferBytes);

    /// <summary>Reads the tensor's bytes from an open checkpoint file, in the stored dtype.</summary>
    public Tensor ReadFrom(FileStream stream)
    {
        stream.Position = Offset;
        var tensor = empty(Shape, dtype: DType);
        tensor.ReadBytesFromStream(stream, BufferFor(ByteLength));
        return tensor;
    }
}
