using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ProbeGrid.GrainsInterfaces.Security;

/// <summary>
/// How a call proves which client certificate it came through. Orleans does not tie a message to the
/// connection it arrived on, so right after the TLS handshake a gateway sends its client a token (this
/// frame, before Orleans' own preamble) and records the certificate of that connection under it; the
/// client puts its tokens in each call's RequestContext; a silo that needs the caller asks the gateway
/// named in the token. A token travels only inside TLS and dies with its connection, so a client can
/// show only tokens of its own connections.
/// </summary>
public static class GatewayIdentity
{
    /// <summary>RequestContext key of the caller's tokens (a string array: one per gateway connection).</summary>
    public const string RequestContextKey = "probegrid.gateway-tokens";

    private static ReadOnlySpan<byte> Magic => "PGID"u8;

    private const int MaxTokenBytes = 1024;

    /// <summary>A new token of the gateway <paramref name="silo"/> (its SiloAddress.ToParsableString): the silo, then 256 random bits.</summary>
    public static string NewToken(string silo) =>
        $"{silo}/{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";

    /// <summary>The gateway that issued <paramref name="token"/>, or null when it is not a token.</summary>
    public static string? SiloOf(string token)
    {
        var slash = token.LastIndexOf('/');
        return slash > 0 && slash < token.Length - 1 ? token[..slash] : null;
    }

    /// <summary>The frame a gateway sends: "PGID", the token's length (2 bytes, little-endian) and its UTF-8 bytes.</summary>
    public static byte[] Frame(string token)
    {
        var bytes = Encoding.UTF8.GetBytes(token);
        var frame = new byte[Magic.Length + 2 + bytes.Length];
        Magic.CopyTo(frame);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(Magic.Length), checked((ushort)bytes.Length));
        bytes.CopyTo(frame, Magic.Length + 2);
        return frame;
    }

    /// <summary>
    /// Reads a frame from the start of <paramref name="buffer"/>: true with the token (and <paramref name="buffer"/>
    /// moved past the frame) when it is whole; false when more bytes are needed.
    /// </summary>
    /// <exception cref="InvalidDataException">the bytes are not such a frame: the peer is not a ProbeGrid gateway with TLS.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out string token)
    {
        token = "";
        var prefixLength = Magic.Length + 2;
        var available = (int)Math.Min(buffer.Length, prefixLength);
        Span<byte> prefix = stackalloc byte[prefixLength];
        buffer.Slice(0, available).CopyTo(prefix);
        if (!prefix[..Math.Min(available, Magic.Length)].SequenceEqual(Magic[..Math.Min(available, Magic.Length)]))
            throw new InvalidDataException("the gateway did not send ProbeGrid's connection token: it is not a ProbeGrid silo of this version, or it runs without TLS");
        if (available < prefixLength) return false;
        var length = BinaryPrimitives.ReadUInt16LittleEndian(prefix[Magic.Length..]);
        if (length is 0 or > MaxTokenBytes) throw new InvalidDataException($"the gateway's connection token has a bad length ({length})");
        if (buffer.Length < prefixLength + length) return false;
        token = Encoding.UTF8.GetString(buffer.Slice(prefixLength, length));
        buffer = buffer.Slice(prefixLength + length);
        return true;
    }
}
