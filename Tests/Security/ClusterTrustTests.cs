using System.Security.Cryptography.X509Certificates;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Tests.Security;

/// <summary>Who the cluster's trust accepts: certificates its CA signed, in their validity, with the usages of their role; nothing else.</summary>
public sealed class ClusterTrustTests
{
    private static readonly X509Certificate2 Ca = TestCertificates.Authority();
    private static readonly ClusterTrust Trust = new([X509CertificateLoader.LoadCertificate(Ca.RawData)]); // the CA's certificate alone, no key

    [Fact]
    public void A_silo_certificate_from_the_CA_is_a_silo_and_a_client_certificate_from_it_is_a_client()
    {
        using var silo = TestCertificates.Issue(Ca, "silo", TestCertificates.Silo);
        using var client = TestCertificates.Issue(Ca, "alice", TestCertificates.Client);
        Assert.Null(Trust.Refusal(silo, null, PeerKind.Silo));
        Assert.Null(Trust.Refusal(client, null, PeerKind.Client));
        Assert.Null(Trust.Refusal(silo, null, PeerKind.Client)); // a silo's certificate has clientAuth too
    }

    [Fact]
    public void A_client_certificate_cannot_pass_for_a_silo_nor_one_without_usages_for_either()
    {
        using var client = TestCertificates.Issue(Ca, "alice", TestCertificates.Client);
        Assert.Contains("lacks the Server Authentication (serverAuth) usage", Trust.Refusal(client, null, PeerKind.Silo));
        using var bare = TestCertificates.Issue(Ca, "bare", usages: null);
        Assert.Contains("lacks the Server Authentication (serverAuth) and Client Authentication (clientAuth) usage", Trust.Refusal(bare, null, PeerKind.Silo));
        Assert.Contains("lacks the Client Authentication (clientAuth) usage a client's certificate needs", Trust.Refusal(bare, null, PeerKind.Client));
        using var serverOnly = TestCertificates.Issue(Ca, "redis", [ClusterTrust.ServerAuthentication]);
        Assert.Contains("Client Authentication", Trust.Refusal(serverOnly, null, PeerKind.Silo));
    }

    [Fact]
    public void Expired_not_yet_valid_self_signed_and_foreign_certificates_are_refused_with_the_reason()
    {
        using var expired = TestCertificates.Issue(Ca, "old", TestCertificates.Client, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-2));
        Assert.StartsWith($"it expired on {expired.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC", Trust.Refusal(expired, null, PeerKind.Client));
        using var early = TestCertificates.Issue(Ca, "early", TestCertificates.Client, DateTimeOffset.UtcNow.AddDays(2), DateTimeOffset.UtcNow.AddDays(30));
        Assert.StartsWith("it is not valid before", Trust.Refusal(early, null, PeerKind.Client));
        using var self = TestCertificates.SelfSigned("mallory", TestCertificates.Client);
        Assert.Equal("it is not signed by the cluster's CA ('CN=ProbeGrid test CA'): it is self-signed", Trust.Refusal(self, null, PeerKind.Client));
        var other = TestCertificates.Authority("Other CA");
        using var foreign = TestCertificates.Issue(other, "eve", TestCertificates.Client);
        Assert.Equal("it is not signed by the cluster's CA ('CN=ProbeGrid test CA')", Trust.Refusal(foreign, null, PeerKind.Client));
    }

    [Fact]
    public void The_systems_roots_are_not_trusted()
    {
        // Trust in a CA other than the cluster's: even a chain that builds there is refused here.
        var other = TestCertificates.Authority("Other CA");
        using var client = TestCertificates.Issue(Ca, "alice", TestCertificates.Client);
        Assert.NotNull(new ClusterTrust([X509CertificateLoader.LoadCertificate(other.RawData)]).Refusal(client, null, PeerKind.Client));
    }
}
