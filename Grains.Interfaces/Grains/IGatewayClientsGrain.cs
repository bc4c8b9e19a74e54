using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.GrainsInterfaces.Grains;

/// <summary>
/// The clients connected to one gateway (key: the silo's SiloAddress.ToParsableString; the grain lives on
/// that silo): answers which certificate a connection token stands for. See <see cref="GatewayIdentity"/>.
/// </summary>
public interface IGatewayClientsGrain : IGrainWithStringKey
{
    /// <summary>The certificate of the connection that <paramref name="token"/> was issued on, or null when no open connection has it.</summary>
    Task<ClientIdentity?> Identify(string token);
}
