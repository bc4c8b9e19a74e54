using System.CommandLine;
using ProbeGrid.Cli.Commands;
using ProbeGrid.Client;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Cli;

/// <summary>The CLI's TLS and Redis credential options: what fits together, and every problem at once.</summary>
public sealed class SecurityOptionsTests
{
    private static ParseResult Parse(string line)
    {
        var root = new RootCommand();
        SecurityOptions.AddTo(root);
        return root.Parse(line);
    }

    [Fact]
    public void Nothing_given_is_no_credentials_and_a_full_set_is_read_as_given()
    {
        Assert.Equal(new ClusterCredentials(), SecurityOptions.Credentials(Parse("")));
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("password"), "s3cret\n");
        var credentials = SecurityOptions.Credentials(Parse($"--tls-cert c.pem --tls-key k.pem --tls-ca ca.pem --redis-user probegrid --redis-password-file {folder.File("password")}"));
        Assert.Equal(new ClientTls("c.pem", "k.pem", "ca.pem"), credentials.Tls);
        Assert.Equal(new RedisCredentials("probegrid", "s3cret"), credentials.Redis);
    }

    [Fact]
    public void Options_that_do_not_fit_together_are_named_all_at_once()
    {
        var e = Assert.Throws<ClusterCredentialsException>(() => SecurityOptions.Credentials(Parse("--tls-cert c.pem --redis-password-file /nonexistent/password")));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains("--tls-cert is given without --tls-ca: give the cluster's CA too (PROBEGRID_TLS_CA)", e.Problems);
        Assert.Contains(e.Problems, p => p.StartsWith("the Redis password file '/nonexistent/password' cannot be read", StringComparison.Ordinal));
        var keyOnly = Assert.Throws<ClusterCredentialsException>(() => SecurityOptions.Credentials(Parse("--tls-key k.pem")));
        Assert.Equal("--tls-ca or --tls-key is given without --tls-cert: give this client's certificate too (PROBEGRID_TLS_CERT)", Assert.Single(keyOnly.Problems));
    }
}
