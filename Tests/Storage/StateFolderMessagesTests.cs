using System.Diagnostics;
using Microsoft.Data.Sqlite;
using ProbeGrid.Silo.Storage;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Storage;

/// <summary>
/// Issue 13, item 9: a state folder the grid cannot use (grid.db not SQLite, a newer schema, a
/// read-only folder) is one line naming the file, the cause and the fix, exit 2, no stack trace.
/// Runs the built probegrid command as a user would.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class StateFolderMessagesTests
{
    [Fact]
    public async Task Random_bytes_in_grid_db_are_one_line_naming_the_file_and_the_fix()
    {
        using var folder = new TempFolder();
        var state = Path.Combine(folder.Path, "state");
        Directory.CreateDirectory(state);
        var bytes = new byte[64 * 1024];
        new Random(9).NextBytes(bytes);
        await File.WriteAllBytesAsync(Path.Combine(state, "grid.db"), bytes);

        var run = await ProbegridAsync(folder.Path, "status", "--state", state);

        AssertOneClearError(run, Path.Combine(state, "grid.db"), "not a SQLite database", "--state");
    }

    [Fact]
    public async Task A_grid_db_of_a_newer_schema_is_one_line_naming_the_versions_and_the_fix()
    {
        using var folder = new TempFolder();
        var state = Path.Combine(folder.Path, "state");
        Directory.CreateDirectory(state);
        var path = Path.Combine(state, "grid.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SqliteGrainStorage.SchemaVersion + 1}";
            command.ExecuteNonQuery();
        }

        var run = await ProbegridAsync(folder.Path, "status", "--state", state);

        AssertOneClearError(run, path, "newer", "upgrade ProbeGrid");
    }

    [Fact]
    public async Task A_read_only_state_folder_is_one_line_naming_the_folder_and_the_fix_even_for_status()
    {
        using var folder = new TempFolder();
        var state = Path.Combine(folder.Path, "state");
        Directory.CreateDirectory(state);
        // A state folder with a grid in it, as an earlier command left it (no logs folder: that must not matter either).
        var made = await ProbegridAsync(folder.Path, "status", "--state", state);
        Assert.True(made.ExitCode == 0, made.Output);
        Directory.Delete(Path.Combine(state, "logs"), recursive: true);
        Assert.True(File.Exists(Path.Combine(state, "grid.db")));

        using var readOnly = ReadOnlyFolder.Make(state);
        var run = await ProbegridAsync(folder.Path, "status", "--state", state);

        AssertOneClearError(run, state, "cannot be written", "give this command another --state folder");
        Assert.Contains("cp -r", run.Output);
    }

    private static void AssertOneClearError(CliRun run, string named, params string[] phrases)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}, expected 2 (bad input):\n{run.Output}");
        var errors = run.Output.Split('\n').Where(l => l.Contains("ERR]", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one error line:\n{run.Output}");
        Assert.Contains(named, errors[0]);
        foreach (var phrase in phrases) Assert.Contains(phrase, errors[0]);
        Assert.True(run.Output.Split('\n').Length <= 4, $"expected a short message, got:\n{run.Output}");
        Assert.DoesNotContain("   at ", run.Output);
    }

    private sealed record CliRun(int ExitCode, string Output);

    /// <summary>Runs the built probegrid command (copied beside the tests) in <paramref name="workingFolder"/>.</summary>
    private static async Task<CliRun> ProbegridAsync(string workingFolder, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "probegrid.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("PROBEGRID_STATE");
        start.Environment.Remove("PROBEGRID_CLUSTER");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, (await stdout + await stderr).Trim());
    }

    /// <summary>
    /// A folder nobody may create files in: mode 0555, and, for root (whom modes do not stop), the
    /// immutable attribute. Fails the test when neither takes, rather than testing nothing.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private sealed class ReadOnlyFolder : IDisposable
    {
        private readonly string path;
        private readonly bool immutable;

        private ReadOnlyFolder(string path, bool immutable)
        {
            this.path = path;
            this.immutable = immutable;
        }

        public static ReadOnlyFolder Make(string path)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            if (CanCreateFileIn(path))
            {
                Chattr("+i", path);
                Assert.False(CanCreateFileIn(path), $"could not make {path} read-only (mode 0555 and chattr +i both failed to stop this user)");
                return new ReadOnlyFolder(path, immutable: true);
            }
            return new ReadOnlyFolder(path, immutable: false);
        }

        public void Dispose()
        {
            if (immutable) Chattr("-i", path);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        private static bool CanCreateFileIn(string folder)
        {
            try
            {
                using var probe = new FileStream(Path.Combine(folder, "probe"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
                return true;
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                return false;
            }
        }

        private static void Chattr(string flag, string folder)
        {
            try
            {
                using var chattr = Process.Start(new ProcessStartInfo("chattr", [flag, folder]) { RedirectStandardError = true })!;
                chattr.WaitForExit();
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // no chattr: the assertion after it names the problem
            }
        }
    }
}
