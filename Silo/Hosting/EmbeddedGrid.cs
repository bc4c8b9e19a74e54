using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using ProbeGrid.Silo.Storage;

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
    /// <exception cref="StateStoreException">the state folder is read-only, or its grid.db is not a usable state file.</exception>
    /// <remarks>
    /// Every command needs a writable state folder, `status` too: the embedded grid is a silo that
    /// takes the folder's lock and opens grid.db for writing (WAL). Reading a WAL file in a read-only
    /// folder would need SQLite's immutable mode, which reads torn data while its owner writes; so a
    /// read-only folder is refused with the fix (copy it, and point --state at the copy).
    /// </remarks>
    public static async Task<EmbeddedGrid> StartAsync(GridSettings settings, Action<ILoggingBuilder> logging, CancellationToken ct, Action<ISiloBuilder>? configure = null)
    {
        EnsureWritable(settings.StateFolder);
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
            try
            {
                // A bad grid.db is reported now, in one line, not as a failed grain call later.
                if (host.Services.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(Grains.StorageNames.State) is SqliteGrainStorage storage)
                    await storage.EnsureUsableAsync();
                await host.StartAsync(ct);
            }
            catch
            {
                host.Dispose();
                throw;
            }
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

    /// <summary>Creates the state folder if needed and checks that files can be made in it.</summary>
    private static void EnsureWritable(string stateFolder)
    {
        try
        {
            Directory.CreateDirectory(stateFolder);
            using var probe = new FileStream(Path.Combine(stateFolder, $".write-check-{Environment.ProcessId}"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            var folder = Path.GetFullPath(stateFolder);
            throw new StateStoreException(
                $"the state folder {folder} cannot be written ({(e is UnauthorizedAccessException ? "permission denied" : e.Message)}): make it writable (chmod u+w), or give this command another --state folder; " +
                $"to look at its sweeps, copy it (cp -r {folder} COPY) and pass --state COPY", e);
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
        catch (UnauthorizedAccessException e)
        {
            throw new StateStoreException($"the lock file {Path.GetFullPath(path)} cannot be written (permission denied): make it writable, or give this command another --state folder", e);
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
