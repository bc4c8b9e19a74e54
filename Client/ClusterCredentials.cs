namespace ProbeGrid.Client;

/// <summary>
/// How a client proves itself to a cluster: a TLS client certificate and the cluster's CA (when the
/// silos run mutual TLS), and Redis's ACL user and password (and, for Redis over TLS, the CA of its certificate).
/// </summary>
public sealed record ClusterCredentials(ClientTls? Tls = null, RedisCredentials? Redis = null)
{
    public static ClusterCredentials None { get; } = new();
}

/// <param name="Certificate">the client's certificate: a PEM file (with <paramref name="Key"/>, or holding its key) or PKCS#12.</param>
/// <param name="Key">its PEM private key, or null.</param>
/// <param name="CertificateAuthority">PEM file of the cluster's CA: gateways must present certificates it signed.</param>
public sealed record ClientTls(string Certificate, string? Key, string CertificateAuthority);

/// <param name="CertificateAuthority">with ssl=true in the Redis connection string: the PEM CA Redis's certificate must chain to (null: the system's roots).</param>
public sealed record RedisCredentials(string? User, string? Password, string? CertificateAuthority = null);
