using ProbeGrid.Grains.Access;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Tests.Security;

public sealed class ClientPolicyTests
{
    private const string AliceSha = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF";

    [Fact]
    public void A_client_is_found_by_its_subject_or_its_SHA256_however_written()
    {
        var policy = new ClientPolicy([("cn=alice,  O=Lab", ["/data/alice"]), (string.Join(':', AliceSha.ToLowerInvariant().Chunk(2).Select(c => new string(c))), ["/data/pinned"])]);
        Assert.True(policy.Restricts);
        Assert.Equal(["/data/alice"], policy.RootsOf(new ClientIdentity("CN=alice, O=Lab", new string('F', 64)))!.Roots);
        Assert.Equal(["/data/pinned"], policy.RootsOf(new ClientIdentity("CN=bob", AliceSha))!.Roots);
        Assert.Null(policy.RootsOf(new ClientIdentity("CN=mallory", new string('E', 64))));
        Assert.False(ClientPolicy.Unrestricted.Restricts);
    }
}
