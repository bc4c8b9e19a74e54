using System.CommandLine;
using ProbeGrid.Cli.Commands;
using ProbeGrid.Client;
using ProbeGrid.Silo.Hosting;
using Serilog;

namespace ProbeGrid.Cli.Grid;

/// <summary>
/// A command's connection to the grid: a running cluster when --cluster names its Redis (or Azure Storage), else the
/// embedded default, an in-process silo on the state folder (grid.db holds every sweep, so a later
/// command sees what an earlier one did).
/// </summary>
public sealed class GridSession : IAsyncDisposable
{
    private readonly IAsyncDisposable connection;

    private GridSession(IAsyncDisposable connection, ProbeGridClient client, bool embedded)
    {
        this.connection = connection;
        Client = client;
        IsEmbedded = embedded;
    }

    public ProbeGridClient Client { get; }

    /// <summary>True when the grid lives in this process and stops with it.</summary>
    public bool IsEmbedded { get; }

    public static async Task<GridSession> OpenAsync(ParseResult result, CancellationToken ct)
    {
        if (GlobalOptions.ClusterStorage(result) is { } storage)
        {
            var cluster = await ClusterConnection.ConnectAsync(storage, result.GetValue(GlobalOptions.ClusterId)!, result.GetValue(GlobalOptions.ServiceId)!,
                logging => logging.AddSerilog(Log.Logger), ct, SecurityOptions.Credentials(result));
            return new GridSession(cluster, cluster.Client, embedded: false);
        }
        var state = GlobalOptions.StateFolder(result);
        var settings = new GridSettings(GlobalOptions.DataRoots(result).Roots, state, Path.Combine(state, "cache"));
        var grid = await EmbeddedGrid.StartAsync(settings, logging => logging.AddSerilog(Log.Logger), ct);
        return new GridSession(grid, new ProbeGridClient(grid.Client), embedded: true);
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
