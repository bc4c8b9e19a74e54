using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ProbeGrid.Tests.Cluster;

/// <summary>A throwaway redis-server on a free loopback port, append-only with fsync on every write, as scripts/redis runs it.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process process;

    private RedisServer(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <param name="settings">more redis-server settings, e.g. ACL users (--user NAME on &gt;PASSWORD ...).</param>
    public static Task<RedisServer> StartAsync(string folder, params string[] settings) => StartAsync(folder, settings, null);

    /// <param name="listening">the port the settings make Redis listen on (e.g. a --tls-port), when not a free one chosen here.</param>
    public static async Task<RedisServer> StartAsync(string folder, string[] settings, string? listening)
    {
        Directory.CreateDirectory(folder);
        var port = listening is null ? FreePort() : int.Parse(listening, System.Globalization.CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo("redis-server",
            ["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", folder,
             "--appendonly", "yes", "--appendfsync", "always", "--save", "", .. settings])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed: run scripts/bootstrap", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new RedisServer(process, port);
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        process.Kill();
        throw new InvalidOperationException($"redis-server did not start on port {port}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill();
        process.WaitForExit(5000);
        process.Dispose();
    }
}
