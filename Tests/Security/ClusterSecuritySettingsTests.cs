using ProbeGrid.Silo.Cluster;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Security;

/// <summary>The silo's security settings, as <see cref="ClusterSettings.Validate"/> judges them before anything starts.</summary>
public sealed class ClusterSecuritySettingsTests
{
    private static ClusterSettings OffLoopback() => new() { ListenAddress = "0.0.0.0", AdvertisedAddress = "10.0.0.7", DataRoots = ["/data"] };

    private static TlsSettings Tls() => new() { Certificate = "/tls/silo.pem", Key = "/tls/silo-key.pem", CertificateAuthority = "/tls/ca.pem" };

    [Fact]
    public void Loopback_needs_no_TLS()
    {
        Assert.Empty(new ClusterSettings().Validate());
        Assert.Empty(new ClusterSettings { ListenAddress = "::1" }.Validate());
    }

    [Fact]
    public void Off_loopback_the_silo_refuses_to_start_without_TLS_unless_AllowInsecure_is_set()
    {
        var problem = Assert.Single(OffLoopback().Validate());
        Assert.Contains("ListenAddress 0.0.0.0 is not loopback and TLS is off", problem);
        Assert.Contains("Tls:Certificate, Tls:Key and Tls:CertificateAuthority (scripts/certs makes them), or set AllowInsecure=true", problem);
        var insecure = OffLoopback();
        insecure.AllowInsecure = true;
        Assert.Empty(insecure.Validate());
        var tls = OffLoopback();
        tls.Tls = Tls();
        Assert.Empty(tls.Validate());
    }

    [Fact]
    public void Incomplete_TLS_settings_are_named_all_at_once()
    {
        var settings = OffLoopback();
        settings.Tls = new TlsSettings { Certificate = "/tls/silo.pem", StoreSubject = "CN=silo" };
        var problems = settings.Validate();
        Assert.Contains(problems, p => p.Contains("Tls:Certificate and Tls:StoreSubject are both given"));
        Assert.Contains(problems, p => p.Contains("Tls:CertificateAuthority is missing"));
        settings.Tls = new TlsSettings { Key = "/tls/k.pem", CertificateAuthority = "/tls/ca.pem" };
        problems = settings.Validate();
        Assert.Contains(problems, p => p.Contains("Tls:Key is given without Tls:Certificate"));
        Assert.Contains(problems, p => p.Contains("Tls:CertificateAuthority is given without a certificate"));
        Assert.Contains(problems, p => p.Contains("is not loopback and TLS is off"));
    }

    [Fact]
    public void Client_roots_need_TLS_and_must_narrow_the_silos_roots()
    {
        var settings = new ClusterSettings { DataRoots = ["/data"], Clients = [new ClientSettings { Certificate = "CN=alice", DataRoots = ["/data/alice"] }] };
        Assert.Contains(settings.Validate(), p => p.Contains("Clients are listed but TLS is off"));
        settings.Tls = Tls();
        Assert.Empty(settings.Validate());
        settings.Clients.Add(new ClientSettings { Certificate = "cn=ALICE", DataRoots = ["/etc", "relative", "/data2"] });
        settings.Clients.Add(new ClientSettings { Certificate = " " });
        var problems = settings.Validate();
        Assert.Contains(problems, p => p.Contains("Clients:1:DataRoots /etc, relative, /data2 must be absolute and lie under one of the silo's DataRoots (/data)"));
        Assert.Contains(problems, p => p.Contains("Clients:2:Certificate is empty"));
        Assert.Contains(problems, p => p.Contains("Clients:2:DataRoots is empty"));
        Assert.Contains(problems, p => p.Contains("Clients names the same certificate twice"));
    }

    [Fact]
    public void A_Redis_password_comes_from_one_place()
    {
        var settings = new ClusterSettings { RedisPassword = "x", RedisPasswordFile = "/run/secrets/redis" };
        Assert.Contains(settings.Validate(), p => p.Contains("RedisPassword and RedisPasswordFile are both given"));
    }
    [Fact]
    public void A_client_root_that_a_link_leads_outside_the_silos_roots_is_refused_at_start()
    {
        using var folder = new TempFolder();
        var data = Directory.CreateDirectory(folder.File("data")).FullName;
        var outside = Directory.CreateDirectory(folder.File("outside")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(data, "alice"), outside);
        Directory.CreateDirectory(Path.Combine(data, "bob"));
        var settings = new ClusterSettings
        {
            DataRoots = [data],
            Clients = [new ClientSettings { Certificate = "CN=alice", DataRoots = [Path.Combine(data, "alice")] }, new ClientSettings { Certificate = "CN=bob", DataRoots = [Path.Combine(data, "bob")] }],
        };
        var problems = new List<string>();
        var security = ClusterSecurity.Load(settings, problems);
        Assert.Equal($"ProbeGrid:Silo:Clients (CN=alice): DataRoots {Path.Combine(data, "alice")} leads outside the silo's DataRoots ({data}) once its links are resolved: give a folder inside them", Assert.Single(problems));
        Assert.False(security.IsOn);
    }
}
