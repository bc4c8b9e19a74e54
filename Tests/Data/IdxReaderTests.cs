using System.Buffers.Binary;
using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly int[] SmallImages = [2, 3, 4];

    private string WriteFile(string name, byte[] raw, bool gzip = false) => IdxFileWriter.Write(_folder.File(name), raw, gzip);

    private static IdxFormatException AssertFormatError(string path, Action read, params string[] expectedFragments)
    {
        var e = Assert.Throws<IdxFormatException>(read);
        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message);
        Assert.Contains("Fix:", e.Message);
        foreach (var fragment in expectedFragments) Assert.Contains(fragment, e.Message);
        return e;
    }

    [Theory]
    [InlineData(false, "images-raw")]
    [InlineData(true, "images-gzip.gz")]
    [InlineData(true, "images-gzip-without-extension")]
    [InlineData(false, "images-raw-misnamed.gz")]
    public void Reads_images_raw_or_gzip_detected_by_magic_bytes_not_extension(bool gzip, string name)
    {
        var path = WriteFile(name, IdxFileWriter.UnsignedBytes(SmallImages, i => (byte)(i * 10)), gzip);

        var array = IdxReader.Read(path, 3);

        Assert.Equal(IdxElementType.UnsignedByte, array.ElementType);
        Assert.Equal(SmallImages, array.Dimensions);
        Assert.Equal(2, array.Count);
        Assert.Equal(24, array.ElementCount);
        Assert.Equal("2x3x4", array.ShapeText);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (byte)(i * 10)), array.Payload);
        Assert.Equal(path, array.Path);
    }

    [Fact]
    public void Reads_labels_with_one_dimension()
    {
        var path = WriteFile("labels", IdxFileWriter.UnsignedBytes([5], i => (byte)(9 - i)));

        var array = IdxReader.Read(path, 1, IdxElementType.UnsignedByte);

        Assert.Equal([5], array.Dimensions);
        Assert.Equal(new byte[] { 9, 8, 7, 6, 5 }, array.Payload);
    }

    [Fact]
    public void Converts_every_element_type_from_big_endian()
    {
        float[] expected = [-2, 0, 3.5f];
        var cases = new (byte Code, int Size, Action<Span<byte>, float> Write)[]
        {
            (0x09, 1, (s, v) => s[0] = unchecked((byte)(sbyte)v)),
            (0x0B, 2, (s, v) => BinaryPrimitives.WriteInt16BigEndian(s, (short)v)),
            (0x0C, 4, (s, v) => BinaryPrimitives.WriteInt32BigEndian(s, (int)v)),
            (0x0D, 4, (s, v) => BinaryPrimitives.WriteSingleBigEndian(s, v)),
            (0x0E, 8, (s, v) => BinaryPrimitives.WriteDoubleBigEndian(s, v)),
        };
        foreach (var (code, size, write) in cases)
        {
            var payload = new byte[expected.Length * size];
            for (var i = 0; i < expected.Length; i++) write(payload.AsSpan(i * size), expected[i]);
            var path = WriteFile($"type-{code:X2}", IdxFileWriter.Build(code, [3], payload));

            var array = IdxReader.Read(path, 1);

            Assert.Equal((IdxElementType)code, array.ElementType);
            Assert.Equal(size, array.ElementSize);
            var integral = code is 0x09 or 0x0B or 0x0C;
            Assert.Equal(integral ? [-2f, 0f, 3f] : expected, array.ToSingleArray());
        }
    }

    [Fact]
    public void Unsigned_bytes_convert_to_their_values()
    {
        var path = WriteFile("bytes", IdxFileWriter.UnsignedBytes([3], i => (byte)(i * 127)));
        Assert.Equal([0f, 127f, 254f], IdxReader.Read(path, 1).ToSingleArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Bad_magic_is_rejected(bool gzip)
    {
        var raw = IdxFileWriter.UnsignedBytes(SmallImages, _ => 1);
        raw[0] = 0x50;
        raw[1] = 0x4B;
        var path = WriteFile("bad-magic", raw, gzip);
        AssertFormatError(path, () => IdxReader.Read(path, 3), "bad magic", "0x50 0x4B");
    }

    [Fact]
    public void Unknown_type_code_is_rejected()
    {
        var path = WriteFile("bad-type", IdxFileWriter.Build(0x07, [3], [1, 2, 3]));
        AssertFormatError(path, () => IdxReader.Read(path, 1), "unknown element type code 0x07");
    }

    [Fact]
    public void Unexpected_element_type_is_rejected()
    {
        var path = WriteFile("floats", IdxFileWriter.Build(0x0D, [1], [0, 0, 0, 0]));
        AssertFormatError(path, () => IdxReader.Read(path, 1, IdxElementType.UnsignedByte), "element type is 0x0D", "0x08");
    }

    [Fact]
    public void Wrong_dimension_count_is_rejected()
    {
        var path = WriteFile("flat-images", IdxFileWriter.UnsignedBytes([2, 12], _ => 0));
        AssertFormatError(path, () => IdxReader.Read(path, 3), "wrong dimension count", "declares 2 dimensions but 3 were expected");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Non_positive_dimension_is_rejected(int size)
    {
        var path = WriteFile("zero-dim", IdxFileWriter.Build(0x08, [2, size, 4], []));
        AssertFormatError(path, () => IdxReader.Read(path, 3), $"dimension 1 is {size}", "must be positive");
    }

    [Fact]
    public void Empty_file_is_a_truncated_header()
    {
        var path = WriteFile("empty", []);
        AssertFormatError(path, () => IdxReader.Read(path, 3), "truncated header", "holds 0 bytes");
    }

    [Fact]
    public void Truncated_dimension_sizes_are_rejected()
    {
        var raw = IdxFileWriter.UnsignedBytes(SmallImages, _ => 0)[..10];
        var path = WriteFile("cut-header", raw);
        AssertFormatError(path, () => IdxReader.Read(path, 3), "truncated header", "need 12 bytes", "only 6 remain");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Truncated_payload_names_declared_and_actual_sizes(bool gzip)
    {
        var raw = IdxFileWriter.UnsignedBytes(SmallImages, _ => 0);
        var path = WriteFile("truncated", raw[..^4], gzip);
        AssertFormatError(path, () => IdxReader.Read(path, 3), "truncated: header says 2x3x4 = 24 bytes but only 20 remain");
    }

    [Fact]
    public void Truncated_payload_of_wide_elements_counts_elements_and_bytes()
    {
        var path = WriteFile("truncated-ints", IdxFileWriter.Build(0x0C, [2, 3], new byte[20]));
        AssertFormatError(path, () => IdxReader.Read(path, 2), "header says 2x3 = 6 elements of 4 bytes = 24 bytes but only 20 remain");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Trailing_bytes_are_rejected(bool gzip)
    {
        byte[] raw = [.. IdxFileWriter.UnsignedBytes(SmallImages, _ => 0), 1, 2, 3];
        var path = WriteFile("trailing", raw, gzip);
        AssertFormatError(path, () => IdxReader.Read(path, 3), "trailing bytes: 3 bytes follow", "2x3x4 = 24 bytes");
    }

    [Fact]
    public void Corrupt_gzip_data_is_an_idx_format_error_naming_the_file()
    {
        // A valid gzip member header, then a deflate block of the reserved type 11: undecodable.
        byte[] bytes = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, .. Enumerable.Repeat((byte)0xFF, 32)];
        var path = _folder.File("corrupt.gz");
        File.WriteAllBytes(path, bytes);

        var e = AssertFormatError(path, () => IdxReader.Read(path, 3), "corrupt gzip data");
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void Gzip_with_a_wrong_checksum_is_rejected()
    {
        var gz = IdxFileWriter.Gzip(IdxFileWriter.UnsignedBytes(SmallImages, i => (byte)i));
        gz[^8] ^= 0xFF; // the CRC-32 of the trailer
        var path = _folder.File("bad-crc.gz");
        File.WriteAllBytes(path, gz);

        AssertFormatError(path, () => IdxReader.Read(path, 3), "corrupt gzip data");
    }

    [Fact]
    public void Cut_off_gzip_stream_is_rejected()
    {
        var gz = IdxFileWriter.Gzip(IdxFileWriter.UnsignedBytes([20, 28, 28], i => (byte)(i * 31 % 251)));
        var path = _folder.File("cut.gz");
        File.WriteAllBytes(path, gz[..(gz.Length / 2)]);

        Assert.Throws<IdxFormatException>(() => IdxReader.Read(path, 3));
    }

    [Fact]
    public void Missing_file_is_file_not_found()
    {
        Assert.Throws<FileNotFoundException>(() => IdxReader.Read(_folder.File("absent"), 1));
    }

    [Fact]
    public void Caller_fix_is_named_in_the_message()
    {
        var path = WriteFile("short", IdxFileWriter.Build(0x08, [4], [1]));
        var e = Assert.Throws<IdxFormatException>(() => IdxReader.Read(path, 1, fix: "reinstall the widget"));
        Assert.EndsWith("Fix: reinstall the widget.", e.Message);
        Assert.Equal("truncated: header says 4 = 4 bytes but only 1 remain", e.Problem);
    }
}
