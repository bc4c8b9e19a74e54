using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProbeGrid.GrainsInterfaces.Security;

/// <summary>What a peer of a TLS connection is expected to be, which decides the usages its certificate must name.</summary>
public enum PeerKind
{
    /// <summary>A silo, on the silo port or as a gateway: Server and Client Authentication (silos dial each other).</summary>
    Silo,

    /// <summary>A client at a gateway: Client Authentication.</summary>
    Client,
}

/// <summary>
/// The cluster's trust: a peer's certificate must chain to one of the configured CA certificates (the
/// system's roots are not consulted), be within its validity period, and name the extended key usages of
/// its role explicitly. Host names are not checked: silos come and go at addresses no certificate can
/// list in advance, so the CA is the boundary: whatever it signs with both usages is a silo.
/// </summary>
public sealed class ClusterTrust(X509Certificate2Collection authorities)
{
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    public X509Certificate2Collection Authorities { get; } = authorities;

    /// <summary>The names of the CA certificates, for messages.</summary>
    public string DescribeAuthorities() => string.Join("; ", Authorities.Select(a => $"'{a.Subject}'"));

    /// <summary>Why <paramref name="certificate"/> is refused for a peer of <paramref name="kind"/>, or null when it is accepted.</summary>
    /// <param name="presented">the chain the handshake built, whose extra certificates (intermediates the peer sent) are used.</param>
    public string? Refusal(X509Certificate2 certificate, X509Chain? presented, PeerKind kind, DateTime? now = null)
    {
        var problems = new List<string>();
        var at = now ?? DateTime.Now;
        if (certificate.NotAfter < at)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"it expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"));
        else if (certificate.NotBefore > at)
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"it is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC"));

        using (var chain = new X509Chain())
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(Authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationTime = at;
            if (presented is not null)
                foreach (var element in presented.ChainElements.Skip(1))
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            if (!chain.Build(certificate))
            {
                var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
                if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotSignatureValid)) != 0)
                    problems.Add($"it is not signed by the cluster's CA ({DescribeAuthorities()}){(certificate.Subject == certificate.Issuer ? ": it is self-signed" : "")}");
                var other = chain.ChainStatus
                    .Where(s => (s.Status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.NotSignatureValid | X509ChainStatusFlags.NotTimeValid)) == 0)
                    .Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
                problems.AddRange(other);
                if (problems.Count == 0) problems.Add("its chain to the cluster's CA does not build");
            }
        }

        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().SelectMany(e => e.EnhancedKeyUsages.Cast<Oid>()).Select(o => o.Value).ToHashSet();
        string[] needed = kind == PeerKind.Silo ? [ServerAuthentication, ClientAuthentication] : [ClientAuthentication];
        var missing = needed.Where(n => !usages.Contains(n)).Select(UsageName).ToList();
        if (missing.Count > 0)
            problems.Add(kind == PeerKind.Silo
                ? $"it lacks the {string.Join(" and ", missing)} usage a silo's certificate has (is it a client's certificate?)"
                : $"it lacks the {string.Join(" and ", missing)} usage a client's certificate needs");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static string UsageName(string oid) => oid switch
    {
        ServerAuthentication => "Server Authentication (serverAuth)",
        ClientAuthentication => "Client Authentication (clientAuth)",
        _ => oid,
    };
}
