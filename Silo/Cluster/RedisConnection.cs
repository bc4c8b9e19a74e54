using StackExchange.Redis;

namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// The silo's Redis connection options: the connection string, with the ACL user, the password (from a
/// 0600 file or the environment, never the command line) and, with ssl=true, the CA to trust.
/// </summary>
public static class RedisConnection
{
    public static ConfigurationOptions Options(ClusterSettings settings)
    {
        var options = ConfigurationOptions.Parse(settings.Redis);
        if (!string.IsNullOrWhiteSpace(settings.RedisUser)) options.User = settings.RedisUser;
        if (Password(settings) is { } password) options.Password = password;
        if (!string.IsNullOrWhiteSpace(settings.RedisCertificateAuthority)) options.TrustIssuer(settings.RedisCertificateAuthority);
        return options;
    }

    /// <summary>What keeps <see cref="Options"/> from working, read from the files named.</summary>
    public static IEnumerable<string> Problems(ClusterSettings settings)
    {
        var field = $"{ClusterSettings.Section}:";
        if (settings.RedisPasswordFile is { Length: > 0 } file && !File.Exists(file))
            yield return $"{field}RedisPasswordFile '{file}' does not exist: give the file `scripts/redis --auth` wrote, or the password in ProbeGrid__Silo__RedisPassword";
        if (settings.RedisCertificateAuthority is { Length: > 0 } ca)
        {
            if (!File.Exists(ca)) yield return $"{field}RedisCertificateAuthority '{ca}' does not exist: give the PEM file of the CA that signed Redis's certificate";
            if (!ConfigurationOptions.Parse(settings.Redis).Ssl) yield return $"{field}RedisCertificateAuthority is given but Redis '{settings.Redis}' is not TLS: add ,ssl=true to it";
        }
    }

    private static string? Password(ClusterSettings settings) =>
        !string.IsNullOrEmpty(settings.RedisPassword) ? settings.RedisPassword
        : settings.RedisPasswordFile is { Length: > 0 } file ? File.ReadAllText(file).TrimEnd('\r', '\n')
        : null;

    /// <summary>A sentence for a Redis failure that is about credentials or TLS, or null for others.</summary>
    public static string? Explain(Exception failure, ClusterSettings settings)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } || e.Message.Contains("NOAUTH", StringComparison.Ordinal) || e.Message.Contains("WRONGPASS", StringComparison.Ordinal))
                return $"Redis at {settings.Redis} refused this silo's credentials ({e.Message.Split('\n')[0].Trim()}): set ProbeGrid:Silo:RedisUser and RedisPasswordFile (or RedisPassword) to what `scripts/redis --auth` wrote";
        }
        return null;
    }
}
