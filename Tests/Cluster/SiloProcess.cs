using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ProbeGrid.Tests.Cluster;

/// <summary>
/// A probegrid-silo process on loopback (the real host, built beside the tests), joined to a
/// cluster through Redis. <see cref="Kill"/> is SIGKILL: the process gets no chance to clean up.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private SiloProcess(Process process, string name)
    {
        this.process = process;
        Name = name;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int SiloPort { get; private init; }

    public int GatewayPort { get; private init; }

    public string Output => string.Join(Environment.NewLine, output);

    public static SiloProcess Start(string name, string redis, string clusterId, string dataRoot, string folder, params string[] extraSettings)
    {
        var siloPort = RedisServer.FreePort();
        var gatewayPort = RedisServer.FreePort();
        var dll = Path.Combine(AppContext.BaseDirectory, "probegrid-silo.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        foreach (var arg in new[]
        {
            dll,
            $"--ProbeGrid:Silo:Redis={redis}",
            $"--ProbeGrid:Silo:ClusterId={clusterId}",
            $"--ProbeGrid:Silo:ServiceId={clusterId}",
            $"--ProbeGrid:Silo:SiloPort={siloPort.ToString(CultureInfo.InvariantCulture)}",
            $"--ProbeGrid:Silo:GatewayPort={gatewayPort.ToString(CultureInfo.InvariantCulture)}",
            $"--ProbeGrid:Silo:DataRoots:0={dataRoot}",
            $"--ProbeGrid:Silo:CacheFolder={Path.Combine(folder, "cache-" + name)}",
            "--ProbeGrid:Sweeps:RetryDelay=00:00:00.500",
        }.Concat(extraSettings))
        {
            start.ArgumentList.Add(arg);
        }
        return new SiloProcess(Process.Start(start)!, name) { SiloPort = siloPort, GatewayPort = gatewayPort };
    }

    public bool HasExited => process.HasExited;

    /// <summary>Waits for the process to end by itself; its exit code, or null when it is still running after <paramref name="timeout"/>.</summary>
    public int? WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) return null;
        process.WaitForExit(); // the output's last lines
        return process.ExitCode;
    }

    /// <summary>SIGTERM, as Kubernetes or Docker stop a container: the silo shuts down gracefully. Returns its exit code.</summary>
    public int Terminate(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        if (!process.WaitForExit(timeout)) throw new TimeoutException($"{Name} did not stop within {timeout} of SIGTERM");
        return process.ExitCode;
    }

    /// <summary>SIGKILL.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }
}
