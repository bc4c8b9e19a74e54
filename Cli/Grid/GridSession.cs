using System.CommandLine;
using ProbeGrid.Cli.Commands;
using ProbeGrid.Client;
using ProbeGrid.Silo.Hosting;
using Serilog;

namespace ProbeGrid.Cli.Grid;

/// <summary>
/// A command's connection to the grid: the embedded default, an in-process silo on the state
/// folder (grid.db holds every sweep, so a later command sees what an earlier one did).
/// </summary>
public sealed class GridSession(EmbeddedGrid grid) : IAsyncDisposable
{
    public ProbeGridClient Client { get; } = new(grid.Client);

    public static async Task<GridSession> OpenAsync(ParseResult result, CancellationToken ct)
    {
        var state = GlobalOptions.StateFolder(result);
        var settings = new GridSettings(GlobalOptions.DataRoots(result).Roots, state, Path.Combine(state, "cache"));
        return new GridSession(await EmbeddedGrid.StartAsync(settings, logging => logging.AddSerilog(Log.Logger), ct));
    }

    public ValueTask DisposeAsync() => grid.DisposeAsync();
}
