using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Client;

/// <summary>
/// The tokens this client's gateways sent over TLS, one per open connection (<see cref="GatewayIdentity"/>):
/// read off each connection before Orleans uses it, and put in every call's RequestContext so a silo can
/// ask the gateway which certificate the call came through.
/// </summary>
internal sealed class GatewayTokens
{
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, byte> open = new(StringComparer.Ordinal);

    public string[] Current => [.. open.Keys];

    /// <summary>Connection middleware, after TLS: reads the gateway's frame, keeps its token while the connection lives.</summary>
    public void Use(IConnectionBuilder builder) => builder.Use(next => async context =>
    {
        var token = await ReadAsync(context);
        open[token] = 0;
        try
        {
            await next(context);
        }
        finally
        {
            open.TryRemove(token, out _);
        }
    });

    private static async Task<string> ReadAsync(ConnectionContext context)
    {
        using var timeout = new CancellationTokenSource(FrameTimeout);
        var input = context.Transport.Input;
        while (true)
        {
            var read = await input.ReadAsync(timeout.Token);
            var buffer = read.Buffer;
            if (GatewayIdentity.TryRead(ref buffer, out var token))
            {
                input.AdvanceTo(buffer.Start); // what follows the frame is Orleans' and stays unread
                return token;
            }
            if (read.IsCompleted) throw new ConnectionAbortedException("the gateway closed the connection before sending its connection token");
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
