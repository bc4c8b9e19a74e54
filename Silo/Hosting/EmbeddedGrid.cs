using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace ProbeGrid.Silo.Hosting;

/// <summary>
/// The embedded default: one silo in this process, clustered on loopback only, with grain state
/// in &lt;state&gt;/grid.db. A lock file keeps a second process off the same state folder.
/// </summary>
public sealed class EmbeddedGrid : IAsyncDisposable
{
    public const string StateFile = "grid.db";
    private const string LockFile = "grid.lock";

    private readonly IHost host;
    private readonly FileStream lockHandle;

    private EmbeddedGrid(IHost host, FileStream lockHandle)
    {
        this.host = host;
        this.lockHandle = lockHandle;
    }

    public IClusterClient Client => host.Services.GetRequiredService<IClusterClient>();

    public IServiceProvider Services => host.Services;

    /// <exception cref="StateFolderInUseException">another process holds the state folder.</exception>
    public static async Task<EmbeddedGrid> StartAsync(GridSettings settings, Action<ILoggingBuilder> logging, CancellationToken ct, Action<ISiloBuilder>? configure = null)
    {
        Directory.CreateDirectory(settings.StateFolder);
        var lockHandle = TakeLock(settings.StateFolder);
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            logging(builder.Logging);
            builder.UseOrleans(silo =>
            {
                silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: "probegrid", clusterId: "probegrid-embedded");
                silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
                silo.AddProbeGrid(settings);
                silo.AddSqliteGrainStorage(Path.Combine(settings.StateFolder, StateFile));
                // One process: `run` resumes its sweep itself, and reminders need not outlive the process.
                silo.UseInMemoryReminderService();
                silo.Services.Configure<Grains.Sweeps.SweepOptions>(o => o.ResumeOnActivation = false);
                configure?.Invoke(silo);
            });
            var host = builder.Build();
            await host.StartAsync(ct);
            return new EmbeddedGrid(host, lockHandle);
        }
        catch
        {
            await lockHandle.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            host.Dispose();
            await lockHandle.DisposeAsync();
        }
    }

    private static FileStream TakeLock(string stateFolder)
    {
        var path = Path.Combine(stateFolder, LockFile);
        try
        {
            var handle = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            handle.SetLength(0);
            using var writer = new StreamWriter(handle, leaveOpen: true);
            writer.Write(Environment.ProcessId);
            writer.Flush();
            return handle;
        }
        catch (IOException)
        {
            var holder = File.Exists(path) ? TryRead(path) : "";
            throw new StateFolderInUseException(
                $"another probegrid process{(holder.Length > 0 ? $" (pid {holder})" : "")} is using the state folder {stateFolder}: wait for it to finish, or give this command another --state folder");
        }
    }

    private static string TryRead(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            return new StreamReader(stream).ReadToEnd().Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>A free loopback port, so two state folders can run side by side.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
