using System.Diagnostics;

namespace ProbeGrid.Bench;

/// <summary>A peer script from bench/ run under Debian's /usr/bin/python3 (scripts/bootstrap --bench installs its packages).</summary>
internal static class PythonPeer
{
    public const string Python = "/usr/bin/python3";

    /// <summary>bench/<paramref name="name"/> in the first folder above the benchmark program that has it, or null.</summary>
    public static string? FindScript(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "bench", name))) return Path.Combine(dir.FullName, "bench", name);
        return null;
    }

    /// <summary>Runs <paramref name="script"/> to its end; its standard output is read and dropped, its standard error returned.</summary>
    public static (int ExitCode, string Errors) Run(string script, IEnumerable<string> arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Python, [script, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, errors.Result.Trim());
    }
}
