using System.CommandLine;
using ProbeGrid.Client;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// What a client shows a cluster: its TLS certificate, key and the cluster's CA (when the silos run mutual
/// TLS), and Redis's ACL user and password. Each option has an environment variable; the Redis password
/// comes from a file or the environment only, never the command line (which every local user can read).
/// </summary>
public static class SecurityOptions
{
    public const string TlsCertificateVariable = "PROBEGRID_TLS_CERT";
    public const string TlsKeyVariable = "PROBEGRID_TLS_KEY";
    public const string TlsAuthorityVariable = "PROBEGRID_TLS_CA";
    public const string RedisUserVariable = "PROBEGRID_REDIS_USER";
    public const string RedisPasswordVariable = "PROBEGRID_REDIS_PASSWORD";
    public const string RedisPasswordFileVariable = "PROBEGRID_REDIS_PASSWORD_FILE";
    public const string RedisAuthorityVariable = "PROBEGRID_REDIS_CA";

    public static readonly Option<string?> TlsCertificate = new("--tls-cert")
    {
        Description = "this client's certificate for a cluster with mutual TLS: PEM (with --tls-key) or PKCS#12; also PROBEGRID_TLS_CERT (`scripts/certs --client NAME` makes one)",
        Recursive = true,
    };

    public static readonly Option<string?> TlsKey = new("--tls-key")
    {
        Description = "the PEM private key of --tls-cert; also PROBEGRID_TLS_KEY",
        Recursive = true,
    };

    public static readonly Option<string?> TlsAuthority = new("--tls-ca")
    {
        Description = "PEM file of the cluster's CA: gateways must present certificates it signed; also PROBEGRID_TLS_CA",
        Recursive = true,
    };

    public static readonly Option<string?> RedisUser = new("--redis-user")
    {
        Description = "Redis ACL user of the cluster; also PROBEGRID_REDIS_USER",
        Recursive = true,
    };

    public static readonly Option<string?> RedisPasswordFile = new("--redis-password-file")
    {
        Description = "a file holding the Redis password (`scripts/redis --auth` writes one); also PROBEGRID_REDIS_PASSWORD_FILE, or the password itself in PROBEGRID_REDIS_PASSWORD",
        Recursive = true,
    };

    public static readonly Option<string?> RedisAuthority = new("--redis-ca")
    {
        Description = "for Redis over TLS (,ssl=true in --cluster): PEM file of the CA of Redis's certificate (default: the system's); also PROBEGRID_REDIS_CA",
        Recursive = true,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(TlsCertificate);
        root.Options.Add(TlsKey);
        root.Options.Add(TlsAuthority);
        root.Options.Add(RedisUser);
        root.Options.Add(RedisPasswordFile);
        root.Options.Add(RedisAuthority);
    }

    /// <exception cref="ClusterCredentialsException">the options given do not fit together, or a file cannot be read (every problem listed).</exception>
    public static ClusterCredentials Credentials(ParseResult result)
    {
        string? Value(Option<string?> option, string variable) =>
            result.GetValue(option) is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } set ? set : null;

        var problems = new List<string>();
        var certificate = Value(TlsCertificate, TlsCertificateVariable);
        var key = Value(TlsKey, TlsKeyVariable);
        var authority = Value(TlsAuthority, TlsAuthorityVariable);
        ClientTls? tls = null;
        if (certificate is not null && authority is not null) tls = new ClientTls(certificate, key, authority);
        else if (certificate is not null) problems.Add("--tls-cert is given without --tls-ca: give the cluster's CA too (PROBEGRID_TLS_CA)");
        else if (authority is not null || key is not null) problems.Add("--tls-ca or --tls-key is given without --tls-cert: give this client's certificate too (PROBEGRID_TLS_CERT)");

        var user = Value(RedisUser, RedisUserVariable);
        var password = Environment.GetEnvironmentVariable(RedisPasswordVariable) is { Length: > 0 } p ? p : null;
        if (Value(RedisPasswordFile, RedisPasswordFileVariable) is { } file)
        {
            if (password is not null) problems.Add($"both {RedisPasswordVariable} and a Redis password file are given: give one");
            try { password = File.ReadAllText(file).TrimEnd('\r', '\n'); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"the Redis password file '{file}' cannot be read ({e.Message}): give the file `scripts/redis --auth` wrote");
            }
        }
        var redisAuthority = Value(RedisAuthority, RedisAuthorityVariable);
        if (problems.Count > 0) throw new ClusterCredentialsException(problems);
        var redis = user is null && password is null && redisAuthority is null ? null : new RedisCredentials(user, password, redisAuthority);
        return new ClusterCredentials(tls, redis);
    }
}
