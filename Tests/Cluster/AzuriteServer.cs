using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using ProbeGrid.Tests.Deployment;

namespace ProbeGrid.Tests.Cluster;

/// <summary>
/// A throwaway Azurite (installed by scripts/azurite from the pinned lock file) on free loopback ports with a data folder
/// of its own. It can be killed (SIGKILL, so it loses what it acknowledged since its last save) and started again on the
/// same ports and folder.
/// </summary>
internal sealed class AzuriteServer : IDisposable
{
    private static readonly Lazy<string> installed = new(Install);

    private readonly string folder;
    private readonly int blobPort = RedisServer.FreePort();
    private readonly int queuePort = RedisServer.FreePort();
    private readonly int tablePort = RedisServer.FreePort();
    private Process? process;

    private AzuriteServer(string folder) => this.folder = folder;

    /// <summary>Azurite's fixed development account (its published key), on this server's ports.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    public static async Task<AzuriteServer> StartAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var server = new AzuriteServer(folder);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts it (again) on its ports and folder; returns when both the blob and the table service answer.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            installed.Value, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--location", folder,
            "--blobHost", "127.0.0.1", "--blobPort", Text(blobPort), "--queueHost", "127.0.0.1", "--queuePort", Text(queuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Text(tablePort),
        })
        {
            start.ArgumentList.Add(argument);
        }
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 600; i++)
        {
            if (await AnswersAsync(blobPort) && await AnswersAsync(tablePort)) return;
            if (process.HasExited) break;
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"Azurite did not start on ports {blobPort} and {tablePort} (exit {(process.HasExited ? process.ExitCode : "none")})");
    }

    /// <summary>
    /// SIGKILL, as a crash or the OOM killer ends it: Azurite keeps its metadata in memory and saves it every
    /// <see cref="SaveInterval"/>, so what it acknowledged since its last save is lost.
    /// </summary>
    public void Kill()
    {
        if (process is null || process.HasExited) return;
        process.Kill();
        process.WaitForExit();
        process.Dispose();
        process = null;
    }

    /// <summary>How often Azurite writes out its metadata (LokiJS autosave, fixed in its source at 5 s).</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(5);

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task<bool> AnswersAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>scripts/azurite install: npm ci from the lock file when it is not installed yet; the path of azurite.js.</summary>
    private static string Install()
    {
        var start = new ProcessStartInfo(YamlFile.RepositoryPath("scripts", "azurite")) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("install");
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var path = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0 || !File.Exists(path))
            throw new InvalidOperationException($"scripts/azurite install failed ({process.ExitCode}): {errors.Result} (run scripts/bootstrap)");
        return path;
    }

    public void Dispose()
    {
        if (process is null) return;
        if (!process.HasExited) process.Kill();
        process.WaitForExit(5000);
        process.Dispose();
    }
}
