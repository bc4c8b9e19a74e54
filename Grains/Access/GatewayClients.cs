using System.Collections.Concurrent;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Grains.Access;

/// <summary>
/// The client connections this silo's gateway holds open, by the token it sent each one
/// (<see cref="GatewayIdentity"/>): filled by the gateway's connection middleware, read by <see cref="GatewayClientsGrain"/>.
/// </summary>
public sealed class GatewayClients
{
    private readonly ConcurrentDictionary<string, ClientIdentity> open = new(StringComparer.Ordinal);

    public void Opened(string token, ClientIdentity client) => open[token] = client;

    public void Closed(string token) => open.TryRemove(token, out _);

    public ClientIdentity? Find(string token) => open.GetValueOrDefault(token);

    public int Count => open.Count;
}
