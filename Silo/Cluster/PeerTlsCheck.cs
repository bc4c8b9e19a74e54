using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// Before this silo joins, one TLS handshake with each active silo's port: a silo whose TLS does not
/// match the cluster's (no certificate where TLS is required, TLS where the cluster has none, a
/// certificate the other side refuses) stops with a sentence saying so, where Orleans alone would
/// report only failed pings.
/// </summary>
internal sealed class PeerTlsCheck(IServiceProvider services, ClusterSecurity security) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>After the membership table is read (RuntimeGrainServices), before this silo writes itself into it (AfterRuntimeGrainServices).</summary>
    private const int Stage = ServiceLifecycleStage.RuntimeGrainServices + 50;

    public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(PeerTlsCheck), Stage, CheckAsync);

    private async Task CheckAsync(CancellationToken ct)
    {
        var table = services.GetService<IMembershipTable>();
        if (table is null) return;
        var self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("ProbeGrid.Silo.Tls");
        var active = (await table.ReadAllAsync(ct)).Members
            .Select(m => m.Item1).Where(e => e.Status == SiloStatus.Active && !e.SiloAddress.Endpoint.Equals(self.Endpoint))
            .Take(8).ToList();
        var results = await Task.WhenAll(active.Select(async e =>
            (Silo: e, Result: await TlsProbe.RunAsync(e.SiloAddress.Endpoint, security.Certificate, security.Trust, gateway: false, TimeSpan.FromSeconds(5)))));
        var problems = results.Select(r => Problem(r.Silo, r.Result)).OfType<string>().ToList();
        if (problems.Count == 0) return;
        foreach (var problem in problems) logger.LogError("{Problem}", problem);
        throw new ClusterJoinException(string.Join("; ", problems));
    }

    private string? Problem(MembershipEntry peer, TlsProbeResult result)
    {
        var who = $"silo {peer.SiloName} at {peer.SiloAddress.Endpoint}";
        return result.Outcome switch
        {
            TlsProbeOutcome.NeedsTls =>
                $"{who} requires mutual TLS and this silo has none: set ProbeGrid:Silo:Tls:Certificate, Key and CertificateAuthority to a certificate from the cluster's CA (scripts/certs makes one)",
            TlsProbeOutcome.NoTls when security.IsOn =>
                $"{who} runs without TLS while this silo has it on: turn TLS on at every silo of the cluster (or off at this one, on loopback only)",
            TlsProbeOutcome.PeerCertificateRefused =>
                $"{who} is not trusted by this silo: {result.Detail}: give every silo a certificate from the same CA (ProbeGrid:Silo:Tls:CertificateAuthority)",
            TlsProbeOutcome.OwnCertificateRefused =>
                $"{who} refused this silo's certificate {CertificateFiles.Describe(security.Certificate!)} ({result.Detail}): its log says why; " +
                "a silo's certificate must come from the cluster's CA, be unexpired and have both serverAuth and clientAuth usages",
            _ => null,
        };
    }
}

/// <summary>This silo cannot join its cluster as configured; the message says why and what to change.</summary>
public sealed class ClusterJoinException(string message) : Exception(message);
