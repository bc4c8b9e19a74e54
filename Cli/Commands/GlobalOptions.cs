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

    public const string ClusterVariable = "PROBEGRID_CLUSTER";

    public static readonly Option<string?> Cluster = new("--cluster")
    {
        Description = "Redis connection string of a running cluster (e.g. 127.0.0.1:6379; also PROBEGRID_CLUSTER); with --cluster-storage azure, its storage account's " +
                      "connection string (best in PROBEGRID_CLUSTER: it holds the account key) or table service URI; without it commands use the embedded grid",
        Recursive = true,
    };

    public const string ClusterStorageVariable = "PROBEGRID_CLUSTER_STORAGE";

    public static readonly Option<string?> ClusterStorageKind = new("--cluster-storage")
    {
        Description = "where the cluster's silos keep their membership (ProbeGrid:Silo:Storage): redis (default) or azure; also PROBEGRID_CLUSTER_STORAGE",
        Recursive = true,
    };

    public static readonly Option<string> ClusterId = new("--cluster-id")
    {
        Description = "the cluster's id (ProbeGrid:Silo:ClusterId of its silos)",
        Recursive = true,
        DefaultValueFactory = _ => "probegrid",
    };

    public static readonly Option<string> ServiceId = new("--service-id")
    {
        Description = "the cluster's service id (ProbeGrid:Silo:ServiceId of its silos)",
        Recursive = true,
        DefaultValueFactory = _ => "probegrid",
    };

    public static void AddTo(RootCommand root)
    {
        root.Options.Add(LogLevel);
        root.Options.Add(State);
        root.Options.Add(DataRoot);
        root.Options.Add(Cluster);
        root.Options.Add(ClusterStorageKind);
        root.Options.Add(ClusterId);
        root.Options.Add(ServiceId);
        SecurityOptions.AddTo(root);
    }

    /// <summary>The cluster's Redis connection string, or null for the embedded grid.</summary>
    public static string? ClusterRedis(ParseResult result) => result.GetValue(Cluster) ?? Environment.GetEnvironmentVariable(ClusterVariable);

    /// <summary>Where the cluster named by --cluster keeps its membership, or null for the embedded grid.</summary>
    /// <exception cref="ProbeGrid.Client.ClusterCredentialsException">--cluster-storage names neither redis nor azure.</exception>
    public static ProbeGrid.Client.ClusterStorage? ClusterStorage(ParseResult result)
    {
        if (ClusterRedis(result) is not { } cluster) return null;
        var kind = result.GetValue(ClusterStorageKind) ?? Environment.GetEnvironmentVariable(ClusterStorageVariable) ?? "redis";
        return kind.ToLowerInvariant() switch
        {
            "redis" => ProbeGrid.Client.ClusterStorage.Redis(cluster),
            "azure" => ProbeGrid.Client.ClusterStorage.Azure(cluster),
            _ => throw new ProbeGrid.Client.ClusterCredentialsException([$"--cluster-storage '{kind}' is not known: give redis or azure (the silos' ProbeGrid:Silo:Storage)"]),
        };
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
