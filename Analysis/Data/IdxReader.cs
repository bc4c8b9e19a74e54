using System.Buffers.Binary;
using System.IO.Compression;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// Reads IDX files, the format MNIST and Fashion-MNIST ship in: a big-endian header (two zero
/// bytes, an element type code, a dimension count, then each dimension as int32) followed by the
/// elements. Files may be gzip-compressed; that is detected from the gzip magic bytes, not the
/// name, because renamed and unpacked copies are common. Every problem with the contents is an
/// <see cref="IdxFormatException"/>.
/// </summary>
public static class IdxReader
{
    /// <summary>The fix named in errors when the caller has no more specific one.</summary>
    public const string DefaultFix = "check the file: it must be a complete IDX file, raw or gzip-compressed (replace it with a fresh copy)";

    private const int MaxDimensionCount = 16;

    /// <summary>
    /// Reads the IDX file at <paramref name="path"/> and checks it has
    /// <paramref name="expectedDimensionCount"/> dimensions (and, when given, the element type).
    /// </summary>
    /// <param name="fix">How to repair the file, named in every error (defaults to <see cref="DefaultFix"/>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IdxFormatException">The contents are not a valid IDX file of the expected shape.</exception>
    public static IdxArray Read(string path, int expectedDimensionCount, IdxElementType? expectedElementType = null, string? fix = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedDimensionCount, 1);
        fix ??= DefaultFix;

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var compressed = IsGzip(file);
        file.Position = 0;
        // GZipStream reads the file in large chunks itself, so no extra buffering is needed.
        using Stream content = compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return ReadContent(content, path, expectedDimensionCount, expectedElementType, fix);
        }
        catch (InvalidDataException e)
        {
            // Only GZipStream throws InvalidDataException here: the compressed data is damaged.
            throw new IdxFormatException(path, $"corrupt gzip data ({e.Message})", fix, e);
        }
    }

    private static bool IsGzip(Stream file)
    {
        Span<byte> magic = stackalloc byte[2];
        return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    private static IdxArray ReadContent(Stream content, string path, int expectedDimensionCount, IdxElementType? expectedElementType, string fix)
    {
        Span<byte> magic = stackalloc byte[4];
        var got = content.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4)
            throw new IdxFormatException(path, $"truncated header: the file holds {got} bytes but an IDX header needs at least 4", fix);
        if (magic[0] != 0 || magic[1] != 0)
            throw new IdxFormatException(path,
                $"bad magic number: the file starts with 0x{magic[0]:X2} 0x{magic[1]:X2}, an IDX file starts with 0x00 0x00", fix);

        var typeCode = magic[2];
        if (!Enum.IsDefined((IdxElementType)typeCode))
            throw new IdxFormatException(path,
                $"unknown element type code 0x{typeCode:X2}; IDX defines 0x08 (unsigned byte), 0x09 (signed byte), 0x0B (int16), 0x0C (int32), 0x0D (float32), 0x0E (float64)", fix);
        var elementType = (IdxElementType)typeCode;
        if (expectedElementType is { } expectedType && elementType != expectedType)
            throw new IdxFormatException(path,
                $"element type is 0x{typeCode:X2} ({elementType}) but 0x{(byte)expectedType:X2} ({expectedType}) was expected", fix);

        int dimensionCount = magic[3];
        if (dimensionCount != expectedDimensionCount)
            throw new IdxFormatException(path,
                $"wrong dimension count: the header declares {dimensionCount} dimensions but {expectedDimensionCount} were expected" +
                (expectedDimensionCount == 3 ? " (images: count x rows x columns)" : expectedDimensionCount == 1 ? " (labels: count)" : ""), fix);
        if (dimensionCount > MaxDimensionCount)
            throw new IdxFormatException(path, $"the header declares {dimensionCount} dimensions; at most {MaxDimensionCount} are supported", fix);

        Span<byte> header = stackalloc byte[4 * dimensionCount];
        got = content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
            throw new IdxFormatException(path,
                $"truncated header: {dimensionCount} dimensions need {header.Length} bytes of sizes but only {got} remain", fix);

        var dimensions = new int[dimensionCount];
        for (var i = 0; i < dimensionCount; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(header[(4 * i)..]);
            if (dimensions[i] <= 0)
                throw new IdxFormatException(path,
                    $"dimension {i} is {dimensions[i]} (header {IdxArray.FormatShape(dimensions.Take(i + 1))}...); every dimension must be positive", fix);
        }

        var shape = IdxArray.FormatShape(dimensions);
        var elementSize = IdxArray.SizeOf(elementType);
        // Multiply step by step, stopping once too large, so 16 large dimensions cannot overflow a long.
        long elementCount = 1;
        foreach (var d in dimensions)
            if ((elementCount *= d) > Array.MaxLength) break;
        var byteCount = elementCount > Array.MaxLength ? long.MaxValue : elementCount * elementSize;
        if (byteCount > Array.MaxLength)
            throw new IdxFormatException(path, $"the header declares {shape} elements, more than the {Array.MaxLength} bytes this reader holds in memory", fix);
        var declared = elementSize == 1
            ? $"{shape} = {byteCount} bytes"
            : $"{shape} = {elementCount} elements of {elementSize} bytes = {byteCount} bytes";

        var payload = GC.AllocateUninitializedArray<byte>((int)byteCount);
        got = content.ReadAtLeast(payload, payload.Length, throwOnEndOfStream: false);
        if (got < payload.Length)
            throw new IdxFormatException(path, $"truncated: header says {declared} but only {got} remain", fix);

        var trailing = CountRemainingBytes(content);
        if (trailing > 0)
            throw new IdxFormatException(path, $"trailing bytes: {trailing} bytes follow the payload the header declares ({declared})", fix);

        return new IdxArray(path, elementType, dimensions, payload);
    }

    private static long CountRemainingBytes(Stream content)
    {
        var buffer = new byte[8192];
        long total = 0;
        int n;
        while ((n = content.Read(buffer)) > 0) total += n;
        return total;
    }
}
