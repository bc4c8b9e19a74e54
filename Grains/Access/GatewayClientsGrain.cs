using ProbeGrid.Grains.Placement;
using ProbeGrid.GrainsInterfaces.Grains;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Grains.Access;

/// <summary>Answers, on the gateway's own silo, which certificate a connection token stands for.</summary>
[SiloPinnedPlacement]
public sealed class GatewayClientsGrain(GatewayClients clients) : Grain, IGatewayClientsGrain
{
    public Task<ClientIdentity?> Identify(string token) => Task.FromResult(clients.Find(token));
}
