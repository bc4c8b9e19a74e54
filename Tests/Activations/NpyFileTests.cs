using System.Text;
using ProbeGrid.Analysis.Activations;

namespace ProbeGrid.Tests.Activations;

public class NpyFileTests
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    private static byte[] Bytes(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }

    private static FeatureMatrix ReadMatrix(byte[] bytes) => NpyFile.ReadMatrix(new MemoryStream(bytes), "layer.npy");

    private static long[] ReadVector(byte[] bytes) => NpyFile.ReadVector(new MemoryStream(bytes), "labels.npy");

    /// <summary>Magic, version 1.0, the little-endian header length, then the dict padded with spaces and a newline.</summary>
    private static byte[] Header(ushort headerLength, string dict) =>
        [.. Magic, (byte)(headerLength & 0xFF), (byte)(headerLength >> 8), .. Encoding.ASCII.GetBytes(dict.PadRight(headerLength - 1) + "\n")];

    [Fact]
    public void A_2x3_float32_matrix_is_written_byte_for_byte_as_numpy_format_1_0()
    {
        var matrix = new FeatureMatrix([1f, -2.5f, 0.5f, 0f, 2f, -1f], rows: 2, columns: 3);

        var bytes = Bytes(s => NpyFile.WriteMatrix(s, matrix));

        // 10 prefix bytes + 59-character dict + 58 spaces + '\n' = 128, a multiple of 64: header length 118 = 0x76.
        const string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        Assert.Equal(59, dict.Length);
        byte[] body =
        [
            0x00, 0x00, 0x80, 0x3F, // 1
            0x00, 0x00, 0x20, 0xC0, // -2.5
            0x00, 0x00, 0x00, 0x3F, // 0.5
            0x00, 0x00, 0x00, 0x00, // 0
            0x00, 0x00, 0x00, 0x40, // 2
            0x00, 0x00, 0x80, 0xBF, // -1
        ];
        byte[] expected = [.. Header(118, dict), .. body];
        Assert.Equal(128 + 24, expected.Length);
        Assert.Equal(expected, bytes);
        Assert.Equal(0x76, bytes[8]);
        Assert.Equal(0x00, bytes[9]);
        Assert.Equal((byte)'\n', bytes[127]);
    }

    [Fact]
    public void An_int64_vector_is_written_byte_for_byte_as_numpy_format_1_0()
    {
        var bytes = Bytes(s => NpyFile.WriteVector(s, [1, -1, 258]));

        const string dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }";
        byte[] body =
        [
            0x01, 0, 0, 0, 0, 0, 0, 0,
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0x02, 0x01, 0, 0, 0, 0, 0, 0,
        ];
        Assert.Equal([.. Header(118, dict), .. body], bytes);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(7, 13)]
    [InlineData(1000, 784)]
    [InlineData(123456, 1)]
    public void Headers_of_any_shape_are_padded_to_a_multiple_of_64_bytes_and_end_in_a_newline(int rows, int columns)
    {
        var bytes = Bytes(s => NpyFile.WriteMatrix(s, new FeatureMatrix(new float[rows * columns], rows, columns)));

        Assert.Equal(Magic, bytes[..8]);
        var headerLength = bytes[8] | (bytes[9] << 8);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Equal((byte)'\n', bytes[10 + headerLength - 1]);
        Assert.Equal(10 + headerLength + 4L * rows * columns, bytes.Length);
        var text = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains($"'shape': ({rows}, {columns})", text);
        Assert.Matches(@"^\{.*\} *\n$", text);
    }

    [Fact]
    public void A_float32_matrix_reads_back_bit_for_bit_including_extreme_values()
    {
        float[] values = [0f, -0f, 1e-45f, float.MaxValue, float.MinValue, 3.1415927f, -1e-30f, 42f, float.Epsilon, 1f / 3];
        var matrix = new FeatureMatrix(values, rows: 5, columns: 2);

        var read = ReadMatrix(Bytes(s => NpyFile.WriteMatrix(s, matrix)));

        Assert.Equal(5, read.Rows);
        Assert.Equal(2, read.Columns);
        Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), read.Data.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void A_large_matrix_spanning_several_write_chunks_reads_back_equal()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 300 * 701).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();

        var read = ReadMatrix(Bytes(s => NpyFile.WriteMatrix(s, new FeatureMatrix(values, 300, 701))));

        Assert.Equal((300, 701), (read.Rows, read.Columns));
        Assert.Equal(values, read.Data);
    }

    [Fact]
    public void An_int64_vector_reads_back_equal()
    {
        long[] values = [0, 1, -1, long.MaxValue, long.MinValue, 9, 123456789012345];

        Assert.Equal(values, ReadVector(Bytes(s => NpyFile.WriteVector(s, values))));
        Assert.Empty(ReadVector(Bytes(s => NpyFile.WriteVector(s, []))));
    }

    [Fact]
    public void A_header_written_by_numpy_with_extra_padding_is_read()
    {
        // numpy pads a header that is already aligned with another 64 spaces; readers must only trust the length field.
        const string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }";
        byte[] bytes = [.. Header(182, dict), 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40];

        var read = ReadMatrix(bytes);

        Assert.Equal([1f, 2f], read.Data);
    }

    [Fact]
    public void A_file_cut_short_in_its_data_is_reported_as_truncated()
    {
        var bytes = Bytes(s => NpyFile.WriteMatrix(s, new FeatureMatrix([1f, 2f, 3f, 4f], 2, 2)));

        var e = Assert.Throws<InvalidDataException>(() => ReadMatrix(bytes[..^3]));

        Assert.Contains("layer.npy", e.Message);
        Assert.Contains("truncated", e.Message);
        var vector = Bytes(s => NpyFile.WriteVector(s, [1, 2, 3]));
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => ReadVector(vector[..^1])).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(60)]
    public void A_file_cut_short_in_its_header_is_reported_as_truncated(int length)
    {
        var bytes = Bytes(s => NpyFile.WriteMatrix(s, new FeatureMatrix([1f], 1, 1)));

        var e = Assert.Throws<InvalidDataException>(() => ReadMatrix(bytes[..length]));

        Assert.Contains("layer.npy is truncated", e.Message);
    }

    [Fact]
    public void A_header_declaring_more_data_than_the_file_holds_is_rejected_without_allocating_it()
    {
        // A corrupted digit in a cached file's shape must not cost gigabytes before the file is found short.
        const string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (20000, 20000), }";
        byte[] bytes = [.. Header(118, dict), 0, 0, 0, 0];
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<InvalidDataException>(() => ReadMatrix(bytes));

        Assert.Contains("truncated", e.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 << 20, "the reader allocated the declared 1.6 GB");
    }

    [Fact]
    public void Bad_magic_bytes_are_reported_as_not_an_npy_file()
    {
        var bytes = Bytes(s => NpyFile.WriteMatrix(s, new FeatureMatrix([1f], 1, 1)));
        bytes[0] = (byte)'P';

        var e = Assert.Throws<InvalidDataException>(() => ReadMatrix(bytes));

        Assert.Contains("layer.npy is not a version 1.0 .npy file (bad magic bytes)", e.Message);
        var text = Encoding.ASCII.GetBytes("rows,columns\n1,2\n");
        Assert.Contains("bad magic", Assert.Throws<InvalidDataException>(() => ReadVector(text)).Message);
    }

    [Fact]
    public void A_version_2_file_is_refused_as_not_version_1()
    {
        var bytes = Bytes(s => NpyFile.WriteMatrix(s, new FeatureMatrix([1f], 1, 1)));
        bytes[6] = 2;

        Assert.Contains("not a version 1.0", Assert.Throws<InvalidDataException>(() => ReadMatrix(bytes)).Message);
    }

    [Fact]
    public void Reading_the_wrong_kind_of_array_names_what_the_file_holds()
    {
        var vector = Bytes(s => NpyFile.WriteVector(s, [1, 2, 3]));
        var matrix = Bytes(s => NpyFile.WriteMatrix(s, new FeatureMatrix([1f, 2f], 1, 2)));

        var asMatrix = Assert.Throws<InvalidDataException>(() => ReadMatrix(vector));
        var asVector = Assert.Throws<InvalidDataException>(() => ReadVector(matrix));

        Assert.Equal("layer.npy holds <i8 of shape (3), not a float32 matrix", asMatrix.Message);
        Assert.Equal("labels.npy holds <f4 of shape (1, 2), not an int64 vector", asVector.Message);
    }

    [Fact]
    public void Fortran_order_and_unreadable_headers_are_refused_with_the_reason()
    {
        byte[] fortran = [.. Header(118, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }"), 0, 0, 0, 0];
        byte[] garbled = [.. Header(118, "{'shape': (1, 1)}"), 0, 0, 0, 0];

        Assert.Contains("Fortran order", Assert.Throws<InvalidDataException>(() => ReadMatrix(fortran)).Message);
        Assert.Contains("unreadable .npy header", Assert.Throws<InvalidDataException>(() => ReadMatrix(garbled)).Message);
    }
}
