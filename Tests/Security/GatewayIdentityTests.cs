using System.Buffers;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Tests.Security;

public sealed class GatewayIdentityTests
{
    [Fact]
    public void A_token_names_its_gateway_and_is_unguessable()
    {
        var token = GatewayIdentity.NewToken("127.0.0.1:11111@512345678");
        Assert.Equal("127.0.0.1:11111@512345678", GatewayIdentity.SiloOf(token));
        Assert.Equal(43, token.Length - token.LastIndexOf('/') - 1); // 256 bits, base64url without padding
        Assert.NotEqual(token, GatewayIdentity.NewToken("127.0.0.1:11111@512345678"));
        Assert.Null(GatewayIdentity.SiloOf("no-slash"));
        Assert.Null(GatewayIdentity.SiloOf("trailing/"));
    }

    [Fact]
    public void A_frame_is_read_whole_byte_by_byte_and_what_follows_it_stays_unread()
    {
        var token = GatewayIdentity.NewToken("10.0.0.7:11111@1");
        var bytes = GatewayIdentity.Frame(token).Concat(new byte[] { 9, 8, 7 }).ToArray();
        for (var length = 0; length < bytes.Length - 3; length++)
        {
            var partial = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(GatewayIdentity.TryRead(ref partial, out _));
        }
        var whole = new ReadOnlySequence<byte>(bytes);
        Assert.True(GatewayIdentity.TryRead(ref whole, out var read));
        Assert.Equal(token, read);
        Assert.Equal(new byte[] { 9, 8, 7 }, whole.ToArray());
    }

    [Fact]
    public void Bytes_that_are_not_a_frame_are_refused_at_once()
    {
        // An Orleans preamble (a little-endian length) where the frame should be: a gateway without ProbeGrid's TLS.
        var preamble = new ReadOnlySequence<byte>(new byte[] { 0x2a, 0, 0, 0, 1, 2 });
        var e = Assert.Throws<InvalidDataException>(() => GatewayIdentity.TryRead(ref preamble, out _));
        Assert.Contains("not a ProbeGrid silo of this version, or it runs without TLS", e.Message);
        var one = new ReadOnlySequence<byte>(new byte[] { 0x2a });
        Assert.Throws<InvalidDataException>(() => GatewayIdentity.TryRead(ref one, out _));
    }
}
