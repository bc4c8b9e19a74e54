using System.Buffers.Binary;
using System.IO.Compression;

namespace ProbeGrid.Tests.Data;

/// <summary>Builds IDX file bytes for tests, including deliberately broken ones.</summary>
public static class IdxFileWriter
{
    /// <summary>Header (two zero bytes, type code, dimension count, big-endian sizes) followed by <paramref name="payload"/>.</summary>
    public static byte[] Build(byte typeCode, int[] dimensions, ReadOnlySpan<byte> payload)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + payload.Length];
        bytes[2] = typeCode;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        payload.CopyTo(bytes.AsSpan(4 + 4 * dimensions.Length));
        return bytes;
    }

    /// <summary>An unsigned-byte IDX file whose payload has exactly the declared size.</summary>
    public static byte[] UnsignedBytes(int[] dimensions, Func<int, byte> element)
    {
        var count = dimensions.Aggregate(1, (a, b) => a * b);
        var payload = new byte[count];
        for (var i = 0; i < count; i++) payload[i] = element(i);
        return Build(0x08, dimensions, payload);
    }

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(raw);
        return output.ToArray();
    }

    /// <summary>Writes <paramref name="raw"/> to <paramref name="path"/>, gzip-compressed when asked.</summary>
    public static string Write(string path, byte[] raw, bool gzip)
    {
        File.WriteAllBytes(path, gzip ? Gzip(raw) : raw);
        return path;
    }
}
