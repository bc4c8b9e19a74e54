using Microsoft.AspNetCore.Builder;
using ProbeGrid.Web;
using ProbeGrid.Web.Hosting;

namespace ProbeGrid.Tests.Browser;

/// <summary>
/// The built dashboard served with the API on real Kestrel on a free loopback port, as `probegrid serve` hosts it, and a
/// chromium to look at it: started on first use over the web grid's settings, shared by a test class.
/// </summary>
public sealed class DashboardSite : IAsyncLifetime
{
    private readonly SemaphoreSlim starting = new(1, 1);
    private readonly List<WebApplication> hosts = [];
    private readonly Dictionary<bool, string> urls = [];

    public Chromium Browser { get; } = new();

    /// <summary>The dashboard's bundle as the build copies it beside the test assembly (Web.csproj builds it from Web/dashboard).</summary>
    public static string BuiltDashboard => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>The site's URL (http://127.0.0.1:PORT) over <paramref name="settings"/>, on loopback or as if off it (one host for each).</summary>
    public async Task<string> StartAsync(ApiSettings settings)
    {
        foreach (var file in new[] { "index.html", "dashboard.js", "dashboard.css" })
            if (!File.Exists(Path.Combine(BuiltDashboard, file)))
                throw new InvalidOperationException($"The dashboard is not built: {Path.Combine(BuiltDashboard, file)} is missing. Building Tests builds it " +
                                                    "(Web.csproj runs npm ci and node build.mjs in Web/dashboard); run scripts/bootstrap first where Node.js and npm are missing.");
        await starting.WaitAsync();
        try
        {
            if (urls.TryGetValue(settings.OnLoopback, out var started)) return started;
            var app = ApiHost.Create(settings with { StaticRoot = BuiltDashboard }, builder => ApiHost.ListenOn(builder, new ListenSettings("127.0.0.1", 0), null));
            await app.StartAsync();
            hosts.Add(app);
            return urls[settings.OnLoopback] = app.Urls.Single();
        }
        finally
        {
            starting.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // The browser first: its open event streams end with it, so the hosts stop without waiting on them.
        Browser.Dispose();
        foreach (var host in hosts) await host.DisposeAsync();
    }
}
