using Orleans.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using ProbeGrid.Analysis.Activations;
using ProbeGrid.Grains.Access;
using ProbeGrid.Grains;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.Grains.Models;
using ProbeGrid.Grains.Placement;
using ProbeGrid.Grains.Planning;
using ProbeGrid.Silo.Compute;
using ProbeGrid.Silo.Storage;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace ProbeGrid.Silo.Hosting;

/// <summary>What every ProbeGrid silo has, whatever its clustering and storage: the executor, the planner, the activation cache and the placement.</summary>
public static class ProbeGridSiloExtensions
{
    public static ISiloBuilder AddProbeGrid(this ISiloBuilder silo, GridSettings settings)
    {
        var services = silo.Services;
        services.AddOptions<ComputeOptions>().BindConfiguration(ComputeOptions.Section);
        services.AddOptions<Grains.Sweeps.SweepOptions>().BindConfiguration(Grains.Sweeps.SweepOptions.Section);
        // A keep-running period under Orleans' one-minute floor for reminders lowers that floor, rather than failing each sweep's submit.
        services.AddOptions<ReminderOptions>().Configure<IOptions<Grains.Sweeps.SweepOptions>>((reminders, sweeps) =>
            reminders.MinimumReminderPeriod = TimeSpan.FromTicks(Math.Min(reminders.MinimumReminderPeriod.Ticks, sweeps.Value.KeepRunningPeriod.Ticks)));
        services.AddSingleton<ComputeExecutor>();
        services.AddSingleton<IComputeExecutor>(sp => sp.GetRequiredService<ComputeExecutor>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ComputeExecutor>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, HostMemoryShareCheck>();
        services.AddSingleton(new DataRoots(settings.DataRoots));
        services.AddBuiltInAnalyses();
        services.AddBuiltInArchitectures();
        // Image folders load with the executor's cores and a share of its memory: over it they are kept as bytes, then streamed.
        services.AddBuiltInDatasets(sp =>
            sp.GetRequiredService<IOptions<ComputeOptions>>().Value.ImageFolderLoad(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes));
        services.AddSingleton(sp => new SweepPlanner(sp.GetRequiredService<DataRoots>(), settings.BaseDirectory, sp.GetRequiredService<AnalysisRegistry>(), sp.GetRequiredService<ModelCatalog>()));
        services.AddSingleton(sp => new DatasetProvider(models: sp.GetRequiredService<ModelCatalog>(), logger: sp.GetRequiredService<ILogger<DatasetProvider>>()));
        services.AddSingleton(sp => new ActivationCache(settings.CacheFolder, sp.GetRequiredService<ILoggerFactory>().CreateLogger<ActivationCache>()));
        services.AddSingleton<ActivationJob>();
        services.AddSingleton<ComplexityJob>();
        services.AddSingleton<DecoderJob>();
        services.AddSingleton<DiscardingJob>();
        silo.AddPlacementDirector<CheckpointAffinityPlacement, CheckpointAffinityPlacementDirector>();
        silo.AddPlacementDirector<SiloPinnedPlacement, SiloPinnedPlacementDirector>();
        var metadata = ComputeCapabilities.Detect();
        foreach (var (key, value) in settings.Metadata) metadata[key] = value;
        silo.UseSiloMetadata(metadata);
        services.AddSingleton<IGrainStorageSerializer, BinaryGrainStorageSerializer>();
        // Who may read what: unrestricted unless the cluster lists client certificates (ClusterSecurity replaces the policy).
        services.TryAddSingleton(ClientPolicy.Unrestricted);
        services.AddSingleton<GatewayClients>();
        services.AddSingleton<CallerRoots>();
        return silo;
    }

    /// <summary>Grain state in a SQLite file: the embedded default.</summary>
    public static ISiloBuilder AddSqliteGrainStorage(this ISiloBuilder silo, string path)
    {
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State, (sp, _) => new SqliteGrainStorage(path, sp.GetRequiredService<IGrainStorageSerializer>()));
        return silo;
    }
}
