using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using ProbeGrid.Client;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid;
using ProbeGrid.Tests.Security;

namespace ProbeGrid.Tests.Cluster;

/// <summary>
/// A secured cluster as an operator sets it up (<see cref="SecuredCluster"/>: certificates from scripts/certs for
/// clients alice and bob, Redis with only an ACL user and password), and two silo processes with mutual TLS on
/// loopback where alice may read only the folder "allowed" and bob is not listed. Also an expired client
/// certificate from the same CA and a self-signed one.
/// </summary>
public sealed class TlsCluster : IAsyncLifetime
{
    public const string ClusterId = "tls";
    public const string RedisUser = SecuredCluster.RedisUser;

    private readonly TempFolder root = new();
    private readonly List<SiloProcess> silos = [];
    private RedisServer? redis;
    private SecuredCluster? secured;

    public string Root => root.Path;

    internal SecuredCluster Secured => secured!;

    public string Certificates => Secured.Certificates;

    public string Authority => Secured.Authority;

    /// <summary>The data root alice may read (the silos' root is <see cref="Root"/>).</summary>
    public string Allowed => Path.Combine(Root, "allowed");

    public string Checkpoints { get; private set; } = "";

    /// <summary>Checkpoints under the silos' root but outside alice's.</summary>
    public string OtherCheckpoints { get; private set; } = "";

    public string PasswordFile => Secured.PasswordFile;

    internal RedisServer Redis => redis!;

    internal IReadOnlyList<SiloProcess> Silos => silos;

    public (string Certificate, string Key) Expired { get; private set; }

    public (string Certificate, string Key) SelfSigned { get; private set; }

    public string SiloOutput => string.Join(Environment.NewLine, silos.Select(s => $"--- {s.Name}{Environment.NewLine}{s.Output}"));

    public async Task InitializeAsync()
    {
        secured = SecuredCluster.Make(Root, "alice", "bob");
        var ca = X509Certificate2.CreateFromPemFile(Authority, Path.Combine(Certificates, "ca-key.pem"));
        // Signed by the cluster's CA, valid for one second from the CA's own start: expired by the time it is shown.
        using (var expired = TestCertificates.Issue(ca, "expired", TestCertificates.Client, ca.NotBefore, ca.NotBefore.AddSeconds(1)))
            Expired = TestCertificates.WritePem(expired, Certificates, "client-expired");
        using (var self = TestCertificates.SelfSigned("mallory", TestCertificates.Client))
            SelfSigned = TestCertificates.WritePem(self, Certificates, "client-mallory");
        redis = await RedisServer.StartAsync(Path.Combine(Root, "redis"), Secured.RedisSettings);

        Checkpoints = GridTestRun.WriteCheckpoints(Allowed, 6);
        OtherCheckpoints = GridTestRun.WriteCheckpoints(Path.Combine(Root, "other"), 1);
        for (var i = 0; i < 2; i++) StartSilo($"tls{i}");
        await using var alice = await ConnectAsync(Client("alice"));
        await ClusterWaits.WaitForSilosAsync(alice, 2);
    }

    /// <summary>The settings every secured silo of this cluster has (alice may read <see cref="Allowed"/> only; bob is not listed), and <paramref name="more"/>.</summary>
    public string[] SiloSettings(params string[] more) =>
    [
        .. Secured.SiloSettings,
        "--ProbeGrid:Silo:Clients:0:Certificate=CN=alice",
        $"--ProbeGrid:Silo:Clients:0:DataRoots:0={Allowed}",
        "--ProbeGrid:Sweeps:CheckpointsPerSilo=1",
        .. more,
    ];

    internal SiloProcess StartSilo(string name, params string[] settings)
    {
        var silo = SiloProcess.Start(name, Redis.ConnectionString, ClusterId, Root, Root, settings.Length > 0 ? settings : SiloSettings());
        silos.Add(silo);
        return silo;
    }

    public ClientTls Client(string name) => Secured.Client(name);

    public RedisCredentials RedisCredentials => Secured.RedisCredentials;

    public Task<ClusterConnection> ConnectAsync(ClientTls? tls, RedisCredentials? credentials = null) =>
        ClusterConnection.ConnectAsync(Redis.ConnectionString, ClusterId, ClusterId, logging => logging.SetMinimumLevel(LogLevel.Warning), CancellationToken.None,
            new ClusterCredentials(tls, credentials ?? RedisCredentials));

    public Task DisposeAsync()
    {
        foreach (var silo in silos) silo.Dispose();
        redis?.Dispose();
        root.Dispose();
        return Task.CompletedTask;
    }
}
