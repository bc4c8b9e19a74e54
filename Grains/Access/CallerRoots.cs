using Microsoft.Extensions.Logging;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Grains.Access;

/// <summary>
/// The data roots the caller of the current grain call may read, under <see cref="ClientPolicy"/>. The
/// caller is the certificate of the TLS connection its call came through, which the gateway that
/// issued the call's token vouches for (<see cref="GatewayIdentity"/>); nothing else the call carries is believed.
/// </summary>
public sealed class CallerRoots(ClientPolicy policy, IGrainFactory grains, ILogger<CallerRoots> logger)
{
    /// <summary>Roots null and no refusal: the silo's own roots hold. Roots set: the caller's. Refusal set: the call may not proceed.</summary>
    public sealed record Answer(DataRoots? Roots, ClientIdentity? Client, string? Refusal);

    public async Task<Answer> OfCurrentCallAsync()
    {
        if (!policy.Restricts) return new(null, null, null);
        var tokens = RequestContext.Get(GatewayIdentity.RequestContextKey) as string[] ?? [];
        var clients = new List<ClientIdentity>();
        foreach (var token in tokens.Distinct().Take(16))
        {
            if (GatewayIdentity.SiloOf(token) is not { } silo) continue;
            try
            {
                if (await grains.GetGrain<IGatewayClientsGrain>(silo).Identify(token) is { } client) clients.Add(client);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                logger.LogDebug(e, "Gateway {Silo} could not say whose token a call carried", silo);
            }
        }
        var distinct = clients.Distinct().ToList();
        if (distinct.Count == 0)
            return new(null, null, "this cluster gives each client certificate its own data roots, and no gateway vouches for this call's certificate: " +
                                   "connect with the ProbeGrid client over TLS (--tls-cert, --tls-key, --tls-ca), and reconnect if the gateway restarted");
        if (distinct.Count > 1)
            return new(null, null, $"the call's connections belong to different certificates ({string.Join(", ", distinct)}): connect with one certificate");
        var caller = distinct[0];
        return policy.RootsOf(caller) is { } roots
            ? new(roots, caller, null)
            : new(null, caller, $"the certificate {caller} is not listed in the cluster's ProbeGrid:Silo:Clients: ask its operator to add it with the data roots it may read");
    }
}
