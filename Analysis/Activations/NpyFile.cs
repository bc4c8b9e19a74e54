using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// NumPy's .npy format (version 1.0, little-endian, C order) for float32 matrices and int64
/// vectors: what <c>numpy.load</c> reads, and the activation cache's own file format.
/// </summary>
public static partial class NpyFile
{
    /// <summary>Floats per read or write call: 4 MiB, so a hashing stream sees the data in pieces that stay in the CPU's cache.</summary>
    private const int ChunkFloats = 1 << 20;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    public static void WriteMatrix(Stream stream, FeatureMatrix matrix)
    {
        WriteHeader(stream, "<f4", $"({matrix.Rows}, {matrix.Columns})");
        if (BitConverter.IsLittleEndian)
        {
            // The file's byte order is the machine's: write the floats' bytes as they are, in one pass.
            for (long i = 0; i < matrix.Data.LongLength; i += ChunkFloats)
                stream.Write(MemoryMarshal.AsBytes(matrix.Data.AsSpan((int)i, (int)Math.Min(ChunkFloats, matrix.Data.LongLength - i))));
            return;
        }
        var bytes = new byte[4 * 65536];
        for (var i = 0; i < matrix.Data.Length; i += 65536)
        {
            var n = Math.Min(65536, matrix.Data.Length - i);
            for (var j = 0; j < n; j++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * j), matrix.Data[i + j]);
            stream.Write(bytes, 0, 4 * n);
        }
    }

    public static void WriteVector(Stream stream, long[] values)
    {
        WriteHeader(stream, "<i8", $"({values.Length},)");
        var bytes = new byte[8];
        foreach (var v in values)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, v);
            stream.Write(bytes);
        }
    }

    /// <exception cref="InvalidDataException">not a float32 matrix .npy file, or truncated.</exception>
    public static FeatureMatrix ReadMatrix(Stream stream, string name)
    {
        var (descr, shape) = ReadHeader(stream, name);
        if (descr != "<f4" || shape.Length != 2)
            throw new InvalidDataException($"{name} holds {descr} of shape ({string.Join(", ", shape)}), not a float32 matrix");
        var count = checked((int)(shape[0] * shape[1]));
        var length = checked(4 * count);
        CheckRemaining(stream, length, name);
        // Read straight into the floats' memory: one copy of the entry on the heap, not a byte buffer beside it.
        var data = new float[count];
        for (var i = 0; i < count; i += ChunkFloats)
        {
            var chunk = MemoryMarshal.AsBytes(data.AsSpan(i, Math.Min(ChunkFloats, count - i)));
            try { stream.ReadExactly(chunk); }
            catch (EndOfStreamException) { throw new InvalidDataException($"{name} is truncated"); }
        }
        if (!BitConverter.IsLittleEndian)
        {
            var bits = MemoryMarshal.Cast<float, int>(data.AsSpan());
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }
        return new FeatureMatrix(data, (int)shape[0], (int)shape[1]);
    }

    /// <exception cref="InvalidDataException">not an int64 vector .npy file, or truncated.</exception>
    public static long[] ReadVector(Stream stream, string name)
    {
        var (descr, shape) = ReadHeader(stream, name);
        if (descr != "<i8" || shape.Length != 1)
            throw new InvalidDataException($"{name} holds {descr} of shape ({string.Join(", ", shape)}), not an int64 vector");
        var bytes = ReadBody(stream, checked(8 * (int)shape[0]), name);
        var values = new long[shape[0]];
        for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8 * i));
        return values;
    }

    private static byte[] ReadBody(Stream stream, int length, string name)
    {
        CheckRemaining(stream, length, name);
        var bytes = new byte[length];
        try { stream.ReadExactly(bytes); }
        catch (EndOfStreamException) { throw new InvalidDataException($"{name} is truncated"); }
        return bytes;
    }

    /// <summary>A corrupted shape must not cost gigabytes before the file is found short: check what is left first.</summary>
    private static void CheckRemaining(Stream stream, long length, string name)
    {
        if (stream.CanSeek && stream.Length - stream.Position < length)
            throw new InvalidDataException($"{name} is truncated: its header declares {length} data bytes but {stream.Length - stream.Position} follow");
    }

    private static void WriteHeader(Stream stream, string descr, string shape)
    {
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // Magic (8) + length (2) + dict + padding + newline must be a multiple of 64.
        var total = (10 + dict.Length + 1 + 63) / 64 * 64;
        var header = dict.PadRight(total - 10 - 1) + "\n";
        stream.Write(Magic);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(Encoding.ASCII.GetBytes(header));
    }

    private static (string Descr, long[] Shape) ReadHeader(Stream stream, string name)
    {
        try
        {
            Span<byte> prefix = stackalloc byte[10];
            stream.ReadExactly(prefix);
            if (!prefix[..8].SequenceEqual(Magic))
                throw new InvalidDataException($"{name} is not a version 1.0 .npy file (bad magic bytes)");
            var header = new byte[BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..])];
            stream.ReadExactly(header);
            var text = Encoding.ASCII.GetString(header);
            var match = HeaderPattern().Match(text);
            if (!match.Success) throw new InvalidDataException($"{name} has an unreadable .npy header: {text.Trim()}");
            if (match.Groups["fortran"].Value == "True") throw new InvalidDataException($"{name} is in Fortran order; save it in C order");
            var shape = match.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            return (match.Groups["descr"].Value, shape);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{name} is truncated");
        }
    }

    [GeneratedRegex(@"'descr':\s*'(?<descr>[^']+)',\s*'fortran_order':\s*(?<fortran>True|False),\s*'shape':\s*\((?<shape>[0-9,\s]*)\)")]
    private static partial Regex HeaderPattern();
}
