using ProbeGrid.Silo.Cluster;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Cluster;
using StackExchange.Redis;

namespace ProbeGrid.Tests.Security;

/// <summary>The silo's Redis options against a real redis-server: the ACL user and password from a file, and TLS trusting the given CA only.</summary>
public sealed class RedisSecurityTests
{
    [Fact]
    public async Task A_silo_reaches_Redis_over_TLS_with_its_ACL_user_and_only_when_it_trusts_the_CA()
    {
        using var root = new TempFolder();
        var secured = SecuredCluster.Make(root.Path);
        var certificates = secured.Certificates;
        var port = RedisServer.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var redis = await RedisServer.StartAsync(root.File("redis"),
        [
            "--port", "0", "--tls-port", port, "--tls-cert-file", Path.Combine(certificates, "redis.pem"), "--tls-key-file", Path.Combine(certificates, "redis-key.pem"),
            "--tls-ca-cert-file", secured.Authority, "--tls-auth-clients", "no", .. secured.RedisSettings,
        ], port);
        var settings = new ClusterSettings
        {
            Redis = $"127.0.0.1:{port},ssl=true,abortConnect=true,connectTimeout=5000",
            RedisUser = SecuredCluster.RedisUser,
            RedisPasswordFile = secured.PasswordFile,
            RedisCertificateAuthority = secured.Authority,
        };
        Assert.Empty(RedisConnection.Problems(settings));
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(RedisConnection.Options(settings)))
        {
            await connection.GetDatabase().StringSetAsync("k", "v");
            Assert.Equal("v", (string?)await connection.GetDatabase().StringGetAsync("k"));
        }

        // The system's roots do not know the development CA; without the password the ACL refuses.
        settings.RedisCertificateAuthority = null;
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync(RedisConnection.Options(settings)));
        settings.RedisCertificateAuthority = secured.Authority;
        settings.RedisPasswordFile = null;
        var refused = await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync(RedisConnection.Options(settings)));
        Assert.StartsWith($"Redis at {settings.Redis} refused this silo's credentials (", RedisConnection.Explain(refused, settings));
    }

    [Fact]
    public void A_Redis_CA_without_TLS_or_a_missing_password_file_is_named()
    {
        var problems = RedisConnection.Problems(new ClusterSettings { RedisCertificateAuthority = "/nonexistent/ca.pem", RedisPasswordFile = "/nonexistent/password" }).ToList();
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("RedisPasswordFile '/nonexistent/password' does not exist"));
        Assert.Contains(problems, p => p.Contains("RedisCertificateAuthority '/nonexistent/ca.pem' does not exist"));
        Assert.Contains(problems, p => p.Contains("is not TLS: add ,ssl=true to it"));
    }
}
