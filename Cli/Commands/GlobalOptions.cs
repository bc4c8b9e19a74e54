using System.CommandLine;
using ProbeGrid.Grains.Planning;

namespace ProbeGrid.Cli.Commands;

/// <summary>Options every command takes: logging, the state folder and the data roots.</summary>
public static class GlobalOptions
{
    public const string DataRootsVariable = "PROBEGRID_DATA_ROOTS";
    public const string StateVariable = "PROBEGRID_STATE";

    public static readonly Option<string?> LogLevel = new("--log-level")
    {
        Description = "verbose, debug, information (default), warning or error; also PROBEGRID_LOG_LEVEL",
        Recursive = true,
    };

    public static readonly Option<string?> State = new("--state")
    {
        Description = "folder for logs, the activation cache and grid state (default ./.probegrid, or PROBEGRID_STATE)",
        Recursive = true,
    };

    public static readonly Option<string[]> DataRoot = new("--data-root")
    {
        Description = "a folder specs may read checkpoints and data from (repeatable; default: the current folder and /usr/share/datasets; also PROBEGRID_DATA_ROOTS, ':'-separated)",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(LogLevel);
        root.Options.Add(State);
        root.Options.Add(DataRoot);
    }

    public static string StateFolder(ParseResult result) =>
        Path.GetFullPath(result.GetValue(State) ?? Environment.GetEnvironmentVariable(StateVariable) ?? ".probegrid");

    public static DataRoots DataRoots(ParseResult result)
    {
        var given = result.GetValue(DataRoot) ?? [];
        var fromEnvironment = (Environment.GetEnvironmentVariable(DataRootsVariable) ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries);
        var roots = given.Concat(fromEnvironment).ToList();
        if (roots.Count == 0) roots = [Directory.GetCurrentDirectory(), "/usr/share/datasets"];
        return new DataRoots(roots);
    }
}
