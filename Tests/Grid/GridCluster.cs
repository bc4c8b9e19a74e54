using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using ProbeGrid.Client;
using ProbeGrid.Grains.Sweeps;
using ProbeGrid.Silo.Hosting;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// Orleans' in-process test cluster with one ProbeGrid silo whose state (SQLite), cache and data
/// live under one folder, so a second cluster on the same folder is the same grid restarted.
/// </summary>
internal sealed class GridCluster : IAsyncDisposable
{
    private const string RootKey = "ProbeGridTests:Root";
    private const string ResponseTimeoutKey = "ProbeGridTests:ResponseTimeoutSeconds";

    private readonly TestCluster cluster;

    private GridCluster(TestCluster cluster) => this.cluster = cluster;

    public ProbeGridClient Client => new(cluster.Client);

    public IGrainFactory Grains => cluster.GrainFactory;

    /// <param name="responseTimeout">Orleans' default response timeout for calls between grains (default 30 s).</param>
    public static async Task<GridCluster> StartAsync(string root, TimeSpan? responseTimeout = null)
    {
        var builder = new TestClusterBuilder(1);
        builder.Properties[RootKey] = root;
        builder.Properties[ResponseTimeoutKey] = (responseTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.AddSiloBuilderConfigurator<Configurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new GridCluster(cluster);
    }

    /// <summary>Kills the silo without letting it shut down: in-flight work is lost, durable state stays.</summary>
    public async Task KillAsync()
    {
        foreach (var silo in cluster.GetActiveSilos().ToList()) await cluster.KillSiloAsync(silo);
        await cluster.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await cluster.StopAllSilosAsync();
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var root = silo.Configuration[RootKey]!;
            var timeout = TimeSpan.FromSeconds(double.Parse(silo.Configuration[ResponseTimeoutKey]!, System.Globalization.CultureInfo.InvariantCulture));
            silo.AddProbeGrid(new GridSettings([root], Path.Combine(root, "state"), Path.Combine(root, "cache")) { BaseDirectory = root });
            silo.AddSqliteGrainStorage(Path.Combine(root, "state", "grid.db"));
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = timeout);
            silo.UseInMemoryReminderService();
            silo.Services.Configure<SweepOptions>(o =>
            {
                o.RetryDelay = TimeSpan.FromMilliseconds(200);
                o.ResumeOnActivation = false; // the restart test resumes explicitly, as `probegrid run` does
            });
        }
    }
}
