using System.IO.Hashing;

namespace ProbeGrid.Analysis.Checkpoints;

/// <summary>
/// Reads a zip entry while computing its CRC-32, so that damaged bytes are noticed: .NET checks the checksum
/// of deflated entries only, and torch.save stores its entries uncompressed.
/// </summary>
internal sealed class ChecksummedStream(Stream inner, uint expectedCrc, long expectedLength) : Stream
{
    private readonly Crc32 crc = new();
    private long read;

    /// <exception cref="InvalidDataException">the bytes read so far are not the whole entry, or their CRC-32 is not the zip's.</exception>
    public void Verify()
    {
        if (read != expectedLength || crc.GetCurrentHashAsUInt32() != expectedCrc)
            throw new InvalidDataException("zip entry checksum mismatch");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        crc.Append(buffer[..n]);
        read += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => expectedLength;
    public override long Position { get => read; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
