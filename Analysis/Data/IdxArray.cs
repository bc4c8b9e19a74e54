using System.Buffers.Binary;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// The contents of one IDX file: its element type, its dimensions and its payload exactly as
/// stored (row-major, multi-byte elements big-endian). Kept raw so 8-bit images cost one byte a
/// pixel until a caller converts the samples it actually uses.
/// </summary>
public sealed class IdxArray
{
    public IdxArray(string path, IdxElementType elementType, int[] dimensions, byte[] payload)
    {
        Path = path;
        ElementType = elementType;
        Dimensions = dimensions;
        Payload = payload;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    public IdxElementType ElementType { get; }

    /// <summary>Sizes from the header, outermost first (for images: count, rows, columns).</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The raw payload; its length is the product of the dimensions times <see cref="ElementSize"/>.</summary>
    public byte[] Payload { get; }

    /// <summary>Number of items along the first dimension (images, labels).</summary>
    public int Count => Dimensions[0];

    public long ElementCount => Dimensions.Aggregate(1L, (a, b) => a * b);

    public int ElementSize => SizeOf(ElementType);

    /// <summary>The dimensions as written in messages, e.g. "60000x28x28".</summary>
    public string ShapeText => FormatShape(Dimensions);

    /// <summary>Every element converted to float (unscaled), whatever the stored type.</summary>
    public float[] ToSingleArray()
    {
        var result = new float[checked((int)ElementCount)];
        var p = Payload.AsSpan();
        switch (ElementType)
        {
            case IdxElementType.UnsignedByte:
                for (var i = 0; i < result.Length; i++) result[i] = p[i];
                break;
            case IdxElementType.SignedByte:
                for (var i = 0; i < result.Length; i++) result[i] = (sbyte)p[i];
                break;
            case IdxElementType.Int16:
                for (var i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadInt16BigEndian(p[(2 * i)..]);
                break;
            case IdxElementType.Int32:
                for (var i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadInt32BigEndian(p[(4 * i)..]);
                break;
            case IdxElementType.Float32:
                for (var i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleBigEndian(p[(4 * i)..]);
                break;
            case IdxElementType.Float64:
                for (var i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadDoubleBigEndian(p[(8 * i)..]);
                break;
            default:
                throw new InvalidOperationException($"Unhandled IDX element type {ElementType}.");
        }
        return result;
    }

    /// <summary>Bytes per element of <paramref name="type"/>.</summary>
    public static int SizeOf(IdxElementType type) => type switch
    {
        IdxElementType.UnsignedByte or IdxElementType.SignedByte => 1,
        IdxElementType.Int16 => 2,
        IdxElementType.Int32 or IdxElementType.Float32 => 4,
        IdxElementType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not an IDX element type."),
    };

    internal static string FormatShape(IEnumerable<int> dimensions) => string.Join("x", dimensions);
}
