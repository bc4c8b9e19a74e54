using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using ProbeGrid.Grains.Access;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// A cluster silo's TLS material and client policy, loaded and checked once at start (every problem
/// listed), then applied to the silo: mutual TLS on the silo port (peers must be silos), on outbound silo
/// connections, and on the gateway (peers must be clients, each sent its connection token).
/// </summary>
public sealed class ClusterSecurity
{
    private static readonly AsyncLocal<EndPoint?> Remote = new();

    private ClusterSecurity(X509Certificate2? certificate, ClusterTrust? trust, ClientPolicy policy)
    {
        Certificate = certificate;
        Trust = trust;
        Policy = policy;
    }

    /// <summary>The silo's certificate; null when TLS is off.</summary>
    public X509Certificate2? Certificate { get; }

    public ClusterTrust? Trust { get; }

    public ClientPolicy Policy { get; }

    public bool IsOn => Certificate is not null;

    /// <summary>Loads what <paramref name="settings"/> name; with problems, returns an instance with TLS off and adds them.</summary>
    public static ClusterSecurity Load(ClusterSettings settings, List<string> problems)
    {
        var tls = settings.Tls;
        // Entries without roots are reported by ClusterSettings.Validate; a client's roots must stay inside the silo's once links are resolved.
        var listed = settings.Clients.Where(c => c.DataRoots.Count > 0).ToList();
        var siloRoots = new DataRoots(settings.EffectiveDataRoots);
        for (var i = 0; i < listed.Count; i++)
            foreach (var root in listed[i].DataRoots.Where(r => Path.IsPathRooted(r) && siloRoots.Resolve(r, "/") is null && ClusterSettings.IsUnderAny(r, siloRoots.Roots)))
                problems.Add($"{ClusterSettings.Section}:Clients ({listed[i].Certificate}): DataRoots {root} leads outside the silo's DataRoots ({siloRoots.Describe()}) once its links are resolved: give a folder inside them");
        var policy = new ClientPolicy(listed.Select(c => (c.Certificate, (IReadOnlyList<string>)c.DataRoots)));
        if (!tls.IsOn) return new ClusterSecurity(null, null, policy);

        var field = $"{ClusterSettings.Section}:Tls:";
        var found = new List<string>();
        string? password = null;
        if (tls.PasswordFile is { Length: > 0 } passwordFile)
        {
            try { password = File.ReadAllText(passwordFile).TrimEnd('\r', '\n'); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { found.Add($"{field}PasswordFile '{passwordFile}' cannot be read ({e.Message})"); }
        }
        var certificate = tls.Certificate is { Length: > 0 } file
            ? CertificateFiles.LoadWithKey(file, string.IsNullOrWhiteSpace(tls.Key) ? null : tls.Key, password, field + "Certificate", found)
            : CertificateFiles.FromStore(tls.StoreSubject!, tls.StoreName, tls.StoreLocation, field + "StoreSubject", found);
        var authorities = CertificateFiles.LoadAuthorities(tls.CertificateAuthority!, field + "CertificateAuthority", found);
        var trust = new ClusterTrust(authorities);
        if (certificate is not null && authorities.Count > 0 && trust.Refusal(certificate, null, PeerKind.Silo) is { } refusal)
            found.Add($"{field}Certificate {CertificateFiles.Describe(certificate)} would be refused by the other silos: {refusal}");
        problems.AddRange(found);
        return found.Count == 0 ? new ClusterSecurity(certificate, trust, policy) : new ClusterSecurity(null, null, policy);
    }

    /// <summary>One line for the start log: what this silo's ports accept.</summary>
    public string Describe(ClusterSettings settings) => IsOn
        ? $"mutual TLS on ports {settings.SiloPort} and {settings.GatewayPort} with certificate {CertificateFiles.Describe(Certificate!)}, trusting {Trust!.DescribeAuthorities()}" +
          (Policy.Restricts ? $"; {settings.Clients.Count} client certificates with their own data roots, others may not submit" : "; every client certificate the CA signed may read all data roots")
        : $"no TLS: ports {settings.SiloPort} and {settings.GatewayPort} on {settings.ListenAddress}";

    /// <summary>Applies TLS (when on), the client policy, and the check of the cluster's TLS before joining.</summary>
    public void ApplyTo(ISiloBuilder silo)
    {
        silo.Services.AddSingleton(Policy);
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new PeerTlsCheck(sp, this));
        if (!IsOn) return;
        silo.Services.Configure<SiloConnectionOptions>(o =>
        {
            o.ConfigureSiloInboundConnection(b => b.UseServerTls(Options(b, PeerKind.Silo, "silo port")));
            o.ConfigureSiloOutboundConnection(b => b.UseClientTls(Options(b, PeerKind.Silo, "outbound silo connection")));
            o.ConfigureGatewayInboundConnection(b =>
            {
                b.UseServerTls(Options(b, PeerKind.Client, "gateway port"));
                UseGatewayIdentity(b);
            });
        });
    }

    private TlsOptions Options(IConnectionBuilder builder, PeerKind peers, string where)
    {
        var logger = builder.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("ProbeGrid.Silo.Tls");
        return new TlsOptions
        {
            LocalCertificate = Certificate,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            // The connection is known here, not in the validation callback: pass its address along the handshake's flow.
            OnAuthenticateAsServer = (context, _) => Remote.Value = context.RemoteEndPoint,
            OnAuthenticateAsClient = (context, _) => Remote.Value = context.RemoteEndPoint,
            RemoteCertificateValidation = (certificate, chain, _) =>
            {
                var refusal = Trust!.Refusal(certificate, chain, peers);
                if (refusal is not null)
                    logger.LogWarning("Refused a TLS peer on the {Where} from {Remote}: certificate {Certificate}: {Reason}",
                        where, Remote.Value, CertificateFiles.Describe(certificate), refusal);
                return refusal is null;
            },
        };
    }

    /// <summary>Sends each client its connection token and records the connection's certificate under it while it is open.</summary>
    private static void UseGatewayIdentity(IConnectionBuilder builder)
    {
        var clients = builder.ApplicationServices.GetRequiredService<GatewayClients>();
        var silo = builder.ApplicationServices.GetRequiredService<ILocalSiloDetails>();
        builder.Use(next => async context =>
        {
            var certificate = context.Features.Get<ITlsConnectionFeature>()?.RemoteCertificate
                              ?? throw new InvalidOperationException("a gateway connection passed TLS without a client certificate");
            var token = GatewayIdentity.NewToken(silo.SiloAddress.ToParsableString());
            clients.Opened(token, new ClientIdentity(certificate.Subject, CertificateFiles.Sha256(certificate)));
            try
            {
                await context.Transport.Output.WriteAsync(GatewayIdentity.Frame(token));
                await next(context);
            }
            finally
            {
                clients.Closed(token);
            }
        });
    }
}
