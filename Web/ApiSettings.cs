using ProbeGrid.Client;
using ProbeGrid.Grains.Planning;

namespace ProbeGrid.Web;

/// <summary>
/// What the web API serves from: the grid's client (embedded or cluster), the state folder its token lives in, and how
/// submitted specs and exports resolve files (the data roots and base folder of the `serve` process, as the CLI's commands do).
/// </summary>
/// <param name="OnLoopback">the host listens on loopback only: reads need no token (writes always do).</param>
/// <param name="BaseDirectory">relative paths in a submitted spec resolve against it (`serve`'s working folder).</param>
public sealed record ApiSettings(ProbeGridClient Client, string StateFolder, DataRoots DataRoots, string BaseDirectory, string Token, bool OnLoopback)
{
    /// <summary>The dashboard's files (default: <c>wwwroot</c> beside this assembly); served as they are.</summary>
    public string StaticRoot { get; init; } = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>How often a server-sent event stream asks the grid for news.</summary>
    public TimeSpan EventInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest an event stream stays silent: a comment line keeps proxies and clients from timing it out.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Where the token lives, for messages.</summary>
    public string TokenFile => Access.ApiToken.PathIn(StateFolder);

    public string CacheFolder => Path.Combine(StateFolder, "cache");
}
