using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ProbeGrid.Tests.Cli;

/// <summary>The real `probegrid` command (built beside the tests) as a separate process, with its output captured.</summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> stdout = new();
    private readonly ConcurrentQueue<string> stderr = new();

    private CliProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output => string.Join(Environment.NewLine, stdout);

    public string Errors => string.Join(Environment.NewLine, stderr);

    /// <summary>Starts <c>probegrid ARGS</c> in <paramref name="folder"/>, its state in folder/.probegrid and folder its only data root.</summary>
    public static CliProcess Start(string folder, params string[] args)
    {
        // Through env, which restores SIGINT's default disposition: a test run started in the background (as CI may
        // start it) ignores SIGINT, children inherit that, and .NET then rightly leaves Ctrl-C ignored.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "probegrid.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.ArgumentList.Add("--data-root");
        start.ArgumentList.Add(folder);
        start.Environment.Remove("PROBEGRID_STATE");
        start.Environment.Remove("PROBEGRID_CLUSTER");
        return new CliProcess(Process.Start(start)!);
    }

    /// <summary>Runs <c>probegrid ARGS</c> to the end; returns its exit code.</summary>
    public static (int ExitCode, string Output, string Errors) Run(string folder, TimeSpan timeout, params string[] args)
    {
        using var cli = Start(folder, args);
        var code = cli.WaitForExit(timeout);
        return (code, cli.Output, cli.Errors);
    }

    /// <summary>Sends a POSIX signal (INT, TERM, ...), as a terminal's Ctrl-C or a container stop does.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) throw new TimeoutException($"probegrid did not exit within {timeout}; its output:{Environment.NewLine}{Errors}");
        process.WaitForExit(); // drains the redirected output
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
