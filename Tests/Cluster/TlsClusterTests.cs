using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using ProbeGrid.Client;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Security;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Grid;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.Cluster;

/// <summary>
/// Mutual TLS for real: silo processes with certificates from scripts/certs, Redis with an ACL password.
/// A client with a certificate from the CA runs a sweep across the silos; clients and silos without the
/// right certificate or password are refused, each with a message that says why and what to do.
/// </summary>
public sealed class TlsClusterTests(TlsCluster cluster, ITestOutputHelper output) : IClassFixture<TlsCluster>
{
    [Fact]
    public async Task A_client_with_a_certificate_from_the_CA_submits_and_reads_a_sweep_run_across_TLS_silos()
    {
        try
        {
            await using var alice = await cluster.ConnectAsync(cluster.Client("alice"));
            var spec = GridTestRun.Spec(cluster.Checkpoints, maxEpochs: 5);
            var submitted = await alice.Client.SubmitAsync(spec, "over-tls", cluster.Root);
            Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
            var final = await GridTestRun.WaitUntilAsync(alice.Client, "over-tls", s => s.IsFinished, TimeSpan.FromMinutes(4));
            Assert.Equal(SweepPhase.Completed, final.Phase);
            Assert.Equal(6 * GridTestRun.Taps, final.Succeeded);
            var results = await alice.Client.GetResultsAsync("over-tls");
            Assert.Equal(final.TotalUnits * MetricNames.Probe.Count, results.Length);
            Assert.All(results.Where(v => v.Metric == MetricNames.ProbeTestError), v => Assert.InRange(v.Value, 0, 1));

            // Units ran on both silos: the coordinator reached the other silo over the silo port's TLS.
            var ran = new HashSet<string>();
            for (var c = 0; c < 6; c++)
            {
                var key = new UnitKey(GridTestRun.CheckpointName(c), "input", "probe", 0);
                ran.Add((await alice.ClusterClient.GetGrain<ILayerAnalysisGrain>(GrainKeys.Unit("over-tls", key)).GetOutcome())!.Silo);
            }
            Assert.Equal(2, ran.Count);
        }
        catch
        {
            output.WriteLine(cluster.SiloOutput);
            throw;
        }
    }

    [Fact]
    public async Task Clients_without_a_certificate_or_with_a_self_signed_or_an_expired_one_are_refused_with_a_clear_message()
    {
        var none = await Assert.ThrowsAsync<ClusterUnreachableException>(() => cluster.ConnectAsync(tls: null));
        Assert.Matches(@"^the gateway at 127\.0\.0\.1:\d+ requires mutual TLS and this client has no certificate: give --tls-cert, --tls-key and --tls-ca", none.Message);

        var self = await Assert.ThrowsAsync<ClusterCredentialsException>(() => cluster.ConnectAsync(new ClientTls(cluster.SelfSigned.Certificate, cluster.SelfSigned.Key, cluster.Authority)));
        Assert.Contains("the client certificate (--tls-cert) 'CN=mallory' issued by 'CN=mallory'", self.Message);
        Assert.Contains("would be refused by the cluster: it is not signed by the cluster's CA ('CN=ProbeGrid development CA'): it is self-signed", self.Message);

        var expired = await Assert.ThrowsAsync<ClusterCredentialsException>(() => cluster.ConnectAsync(new ClientTls(cluster.Expired.Certificate, cluster.Expired.Key, cluster.Authority)));
        Assert.Contains("would be refused by the cluster: it expired on", expired.Message);

        // A client that trusts another CA (and has a certificate from it) does not trust the gateways.
        var other = Security.TestCertificates.Authority("Other CA");
        var otherCa = Path.Combine(cluster.Certificates, "other-ca.pem");
        File.WriteAllText(otherCa, other.ExportCertificatePem());
        using (var eve = Security.TestCertificates.Issue(other, "eve", Security.TestCertificates.Client))
        {
            var (eveCertificate, eveKey) = Security.TestCertificates.WritePem(eve, cluster.Certificates, "client-eve");
            var untrusted = await Assert.ThrowsAsync<ClusterUnreachableException>(() => cluster.ConnectAsync(new ClientTls(eveCertificate, eveKey, otherCa)));
            Assert.Matches(@"^the gateway at 127\.0\.0\.1:\d+ is not trusted: its certificate 'CN=probegrid-silo' issued by 'CN=ProbeGrid development CA'.* is refused: it is not signed by the cluster's CA \('CN=Other CA'\): give the cluster's CA with --tls-ca$", untrusted.Message);
        }

        // Not only the client's own checks: the gateway itself refuses them, and its log says why.
        var gateway = new IPEndPoint(IPAddress.Loopback, cluster.Silos[0].GatewayPort);
        var trust = new ClusterTrust(CertificateFiles.LoadAuthorities(cluster.Authority, "ca", []));
        Assert.True(await GatewaySendsTokenAsync(gateway, Load(cluster.Client("alice").Certificate, cluster.Client("alice").Key)));
        Assert.False(await GatewaySendsTokenAsync(gateway, null));
        Assert.False(await GatewaySendsTokenAsync(gateway, Load(cluster.SelfSigned.Certificate, cluster.SelfSigned.Key)));
        Assert.False(await GatewaySendsTokenAsync(gateway, Load(cluster.Expired.Certificate, cluster.Expired.Key)));
        Assert.Equal(TlsProbeOutcome.OwnCertificateRefused,
            (await TlsProbe.RunAsync(gateway, Load(cluster.Expired.Certificate, cluster.Expired.Key), trust, gateway: true, TimeSpan.FromSeconds(10))).Outcome);
        // A client's certificate is no silo's: the silo port refuses it.
        var siloPort = new IPEndPoint(IPAddress.Loopback, cluster.Silos[0].SiloPort);
        Assert.Equal(TlsProbeOutcome.OwnCertificateRefused,
            (await TlsProbe.RunAsync(siloPort, Load(cluster.Client("alice").Certificate, cluster.Client("alice").Key), trust, gateway: false, TimeSpan.FromSeconds(10))).Outcome);

        await WaitForOutputAsync(cluster.Silos[0], "it lacks the Server Authentication (serverAuth) usage a silo's certificate has");
        var log = cluster.Silos[0].Output;
        Assert.Contains("Refused a TLS peer on the gateway port from", log);
        Assert.Contains("certificate 'CN=mallory' issued by 'CN=mallory'", log);
        Assert.Contains("it is self-signed", log);
        Assert.Contains("certificate 'CN=expired' issued by 'CN=ProbeGrid development CA'", log);
        Assert.Contains("Refused a TLS peer on the silo port from", log);
    }

    [Fact]
    public async Task A_silo_without_a_certificate_cannot_join_and_says_why()
    {
        var plain = cluster.StartSilo("plain", $"--ProbeGrid:Silo:RedisUser={TlsCluster.RedisUser}", $"--ProbeGrid:Silo:RedisPasswordFile={cluster.PasswordFile}");
        var exit = plain.WaitForExit(TimeSpan.FromMinutes(2));
        output.WriteLine(plain.Output);
        Assert.Equal(1, exit);
        Assert.Matches(@"silo \S+ at 127\.0\.0\.1:\d+ requires mutual TLS and this silo has none: set ProbeGrid:Silo:Tls:Certificate, Key and CertificateAuthority", plain.Output);
    }

    [Fact]
    public async Task Off_loopback_a_silo_without_TLS_refuses_to_start_unless_AllowInsecure_is_set_and_then_warns()
    {
        string[] offLoopback = ["--ProbeGrid:Silo:ListenAddress=0.0.0.0", "--ProbeGrid:Silo:AdvertisedAddress=127.0.0.1",
            $"--ProbeGrid:Silo:RedisUser={TlsCluster.RedisUser}", $"--ProbeGrid:Silo:RedisPasswordFile={cluster.PasswordFile}", "--ProbeGrid:Silo:ClusterId=insecure", "--ProbeGrid:Silo:ServiceId=insecure"];
        var refused = cluster.StartSilo("open", offLoopback);
        Assert.Equal(2, refused.WaitForExit(TimeSpan.FromMinutes(1)));
        Assert.Contains("ListenAddress 0.0.0.0 is not loopback and TLS is off", refused.Output);

        var insecure = cluster.StartSilo("insecure", [.. offLoopback, "--ProbeGrid:Silo:AllowInsecure=true"]);
        await WaitForOutputAsync(insecure, "without TLS (AllowInsecure): anyone who reaches ports");
        Assert.False(insecure.HasExited);
        insecure.Kill();
    }

    [Fact]
    public async Task Each_client_certificate_submits_only_over_its_own_data_roots()
    {
        await using var alice = await cluster.ConnectAsync(cluster.Client("alice"));
        var outside = await alice.Client.SubmitAsync(GridTestRun.Spec(cluster.OtherCheckpoints, maxEpochs: 1), "alice-outside", cluster.Root);
        Assert.False(outside.Accepted);
        Assert.Contains(outside.Problems, p => p.StartsWith($"model.checkpoints '{cluster.OtherCheckpoints}' is outside the data roots ({cluster.Allowed})", StringComparison.Ordinal));
        Assert.Contains(outside.Problems, p => p.StartsWith("the certificate 'CN=alice' (SHA-256 ", StringComparison.Ordinal) && p.EndsWith($"may read only {cluster.Allowed} (ProbeGrid:Silo:Clients of the cluster)", StringComparison.Ordinal));

        await using var bob = await cluster.ConnectAsync(cluster.Client("bob"));
        var unlisted = await bob.Client.SubmitAsync(GridTestRun.Spec(cluster.Checkpoints, maxEpochs: 1), "bob", cluster.Root);
        Assert.False(unlisted.Accepted);
        var problem = Assert.Single(unlisted.Problems);
        Assert.StartsWith("the certificate 'CN=bob' (SHA-256 ", problem);
        Assert.EndsWith("is not listed in the cluster's ProbeGrid:Silo:Clients: ask its operator to add it with the data roots it may read", problem);

        // A token is worth only what its gateway recorded: one made up names nobody.
        var silo = (await alice.ClusterClient.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Keys.First().ToParsableString();
        Assert.Null(await alice.ClusterClient.GetGrain<IGatewayClientsGrain>(silo).Identify(GatewayIdentity.NewToken(silo)));
    }

    /// <summary>
    /// A following sweep holds the checkpoints that land later to the data roots of the certificate that submitted it, not to
    /// the silos' wider ones: a link that lands pointing outside alice's roots is not taken in (following names it and waits),
    /// and once it is replaced by a file of her own, following goes on.
    /// </summary>
    [Fact]
    public async Task A_following_sweep_takes_in_only_checkpoints_under_its_clients_data_roots()
    {
        await using var alice = await cluster.ConnectAsync(cluster.Client("alice"));
        var run = Path.Combine(cluster.Allowed, "follow-run");
        Directory.CreateDirectory(run);
        foreach (var file in new[] { "model.json", "step-0000000.pt" }) File.Copy(Path.Combine(cluster.Checkpoints, file), Path.Combine(run, file));
        var spec = GridTestRun.Spec(run, maxEpochs: 1) with { Follow = new FollowSpec(ThinningSpec.Every, 0, 1, 0.3) };
        Assert.True((await alice.Client.SubmitAsync(spec, "alice-follow", cluster.Root)).Accepted);
        await GridTestRun.WaitUntilAsync(alice.Client, "alice-follow", s => s.Follow?.Analysed >= 1, TimeSpan.FromMinutes(2));

        // Inside the silos' data roots (they read all of cluster.Root), outside alice's.
        var link = Path.Combine(run, "step-0000010.pt");
        File.CreateSymbolicLink(link, Path.Combine(cluster.OtherCheckpoints, "step-0000000.pt"));
        await Task.Delay(TimeSpan.FromSeconds(5)); // some 15 looks, and the link settled long since
        Assert.Equal(1, (await alice.Client.GetStatusAsync("alice-follow")).Follow!.Landed);

        File.Delete(link);
        File.Copy(Path.Combine(cluster.Checkpoints, "step-0000010.pt"), link);
        await GridTestRun.WaitUntilAsync(alice.Client, "alice-follow", s => s.Follow?.Analysed >= 2, TimeSpan.FromMinutes(2));
        await alice.Client.StopAsync("alice-follow");
        var final = await GridTestRun.WaitUntilAsync(alice.Client, "alice-follow", s => s.IsFinished, TimeSpan.FromMinutes(2));
        Assert.Equal(SweepPhase.Completed, final.Phase);
        Assert.Equal(2, final.Follow!.Landed);
        var results = await alice.Client.GetResultsAsync("alice-follow");
        Assert.Equal(["step-0000000", "step-0000010"], results.Select(v => v.Checkpoint).Distinct().Order());
    }

    [Fact]
    public async Task Redis_refuses_a_client_and_a_silo_without_the_password()
    {
        var client = await Assert.ThrowsAsync<ClusterUnreachableException>(() => cluster.ConnectAsync(cluster.Client("alice"), new RedisCredentials(null, null)));
        Assert.StartsWith($"Redis at {cluster.Redis.ConnectionString} refused this client's credentials (", client.Message);
        Assert.Contains("give its ACL user and password (--redis-user and --redis-password-file", client.Message);

        var silo = cluster.StartSilo("no-password", cluster.SiloSettings().Where(s => !s.Contains("Redis", StringComparison.Ordinal)).ToArray());
        Assert.Equal(1, silo.WaitForExit(TimeSpan.FromMinutes(2)));
        Assert.Contains($"The silo cannot use Redis: Redis at {cluster.Redis.ConnectionString} refused this silo's credentials", silo.Output);
        Assert.Contains("set ProbeGrid:Silo:RedisUser and RedisPasswordFile", silo.Output);
    }

    private static X509Certificate2 Load(string certificate, string? key) => X509Certificate2.CreateFromPemFile(certificate, key);

    /// <summary>A TLS connection to the gateway with <paramref name="certificate"/> (or none): whether the gateway accepts it, i.e. sends its connection token.</summary>
    private static async Task<bool> GatewaySendsTokenAsync(IPEndPoint gateway, X509Certificate2? certificate)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(gateway, cancel.Token);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", ClientCertificates = certificate is null ? null : [certificate] }, cancel.Token);
            var reader = PipeReader.Create(tls);
            while (true)
            {
                var read = await reader.ReadAsync(cancel.Token);
                var buffer = read.Buffer;
                if (GatewayIdentity.TryRead(ref buffer, out _)) return true;
                if (read.IsCompleted) return false;
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    private static async Task WaitForOutputAsync(SiloProcess silo, string text)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!silo.Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{silo.Name} did not log '{text}':{Environment.NewLine}{silo.Output}");
            await Task.Delay(200);
        }
    }
}
