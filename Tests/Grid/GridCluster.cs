using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using ProbeGrid.Client;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Models;
using ProbeGrid.Grains.Placement;
using ProbeGrid.Grains.Sweeps;
using Orleans.Storage;
using ProbeGrid.Grains;
using ProbeGrid.Silo.Hosting;
using ProbeGrid.Silo.Storage;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// Orleans' in-process test cluster with one ProbeGrid silo whose state (SQLite), cache and data
/// live under one folder, so a second cluster on the same folder is the same grid restarted.
/// </summary>
internal sealed class GridCluster : IAsyncDisposable
{
    private const string RootKey = "ProbeGridTests:Root";
    private const string ResponseTimeoutKey = "ProbeGridTests:ResponseTimeoutSeconds";
    private const string GpuSiloKey = "ProbeGridTests:GpuSilo";
    private const string ExtraAnalysisKey = "ProbeGridTests:ExtraAnalysis";
    private const string ExtraArchitectureKey = "ProbeGridTests:ExtraArchitecture";
    private const string ConflictingWriteKey = "ProbeGridTests:ConflictingProgressWrite";

    private readonly TestCluster cluster;

    private GridCluster(TestCluster cluster) => this.cluster = cluster;

    public ProbeGridClient Client => new(cluster.Client);

    /// <summary>The file <see cref="ConflictingProgressWrite"/> drops once it has answered a write with a conflict.</summary>
    public static string ConflictMarker(string root) => Path.Combine(root, "conflicted-write");

    public IGrainFactory Grains => cluster.GrainFactory;

    /// <summary>The silos' identities as units report them (UnitOutcome.Silo), by test-cluster silo name.</summary>
    public IReadOnlyDictionary<string, string> SiloIdentities =>
        cluster.GetActiveSilos().ToDictionary(s => s.Name, s => s.SiloAddress.ToString());

    /// <param name="responseTimeout">Orleans' default response timeout for calls between grains (default 30 s).</param>
    /// <param name="silos">silos in the cluster: "Primary", "Secondary_1", ...</param>
    /// <param name="gpuSilo">the one silo that advertises a GPU (none by default)</param>
    /// <param name="extraAnalysis">an analysis of the test's own, registered with <c>AddAnalysis&lt;T&gt;</c> beside the built-in ones</param>
    /// <param name="extraArchitecture">an architecture of the test's own, registered with <c>AddArchitecture&lt;T&gt;</c></param>
    /// <param name="conflictingProgressWrite">the write of sweep progress that answers with a conflict (see <see cref="ConflictingProgressWrite"/>); none by default</param>
    public static async Task<GridCluster> StartAsync(
        string root, TimeSpan? responseTimeout = null, short silos = 1, string? gpuSilo = null, Type? extraAnalysis = null, Type? extraArchitecture = null,
        int conflictingProgressWrite = 0)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Properties[RootKey] = root;
        builder.Properties[GpuSiloKey] = gpuSilo ?? "";
        builder.Properties[ExtraAnalysisKey] = extraAnalysis?.AssemblyQualifiedName ?? "";
        builder.Properties[ExtraArchitectureKey] = extraArchitecture?.AssemblyQualifiedName ?? "";
        builder.Properties[ConflictingWriteKey] = conflictingProgressWrite.ToString(System.Globalization.CultureInfo.InvariantCulture);
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
            var gpu = silo.Configuration[GpuSiloKey] is { Length: > 0 } name && name == silo.Configuration["Orleans:Name"];
            silo.AddProbeGrid(new GridSettings([root], Path.Combine(root, "state"), Path.Combine(root, "cache"))
            {
                BaseDirectory = root,
                Metadata = new Dictionary<string, string> { [SiloCapabilities.GpuCount] = gpu ? "1" : "0" },
            });
            if (silo.Configuration[ExtraAnalysisKey] is { Length: > 0 } extra)
                typeof(AnalysisRegistration).GetMethod(nameof(AnalysisRegistration.AddAnalysis))!.MakeGenericMethod(Type.GetType(extra, throwOnError: true)!)
                    .Invoke(null, [silo.Services]);
            if (silo.Configuration[ExtraArchitectureKey] is { Length: > 0 } architecture)
                typeof(ModelRegistration).GetMethod(nameof(ModelRegistration.AddArchitecture))!.MakeGenericMethod(Type.GetType(architecture, throwOnError: true)!)
                    .Invoke(null, [silo.Services]);
            silo.AddSqliteGrainStorage(Path.Combine(root, "state", "grid.db"));
            if (int.Parse(silo.Configuration[ConflictingWriteKey]!, System.Globalization.CultureInfo.InvariantCulture) is > 0 and var n)
                silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State, (sp, _) => new ConflictingProgressWrite(
                    new SqliteGrainStorage(Path.Combine(root, "state", "grid.db"), sp.GetRequiredService<IGrainStorageSerializer>()), n, ConflictMarker(root)));
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
