using System.IO.Hashing;

namespace ProbeGrid.Analysis.Activations;

/// <summary>
/// Passes reads or writes through to another stream and hashes every byte that goes by, so a cache
/// entry is checksummed in the same pass that writes or parses it. Leaves the inner stream open.
/// </summary>
internal sealed class HashingStream(Stream inner, NonCryptographicHashAlgorithm hash) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => inner.CanSeek; // for Length and Position only: seeking would skip bytes the hash must see

    public override bool CanWrite => inner.CanWrite;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException("a hashing stream reads and writes in order");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        hash.Append(buffer[..read]);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.Append(buffer);
        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("a hashing stream reads and writes in order");

    public override void SetLength(long value) => throw new NotSupportedException("a hashing stream cannot change its length");
}
