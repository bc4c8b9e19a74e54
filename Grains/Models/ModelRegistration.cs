using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Data.ImageFolder;
using ProbeGrid.Analysis.Zoo;

namespace ProbeGrid.Grains.Models;

/// <summary>
/// Registers architectures and data sets with a host's services, one <c>Add...</c> call per kind, the way
/// <see cref="Analyses.AnalysisRegistration"/> registers analyses; an <see cref="ArchitectureRegistry"/> and a
/// <see cref="DatasetRegistry"/> collect them (a name registered twice is refused when they are built).
/// </summary>
public static class ModelRegistration
{
    public static IServiceCollection AddArchitecture<T>(this IServiceCollection services) where T : class, IArchitecture
    {
        services.AddSingleton<IArchitecture, T>();
        services.TryAddSingleton<ArchitectureRegistry>();
        services.TryAddSingleton<ModelCatalog>();
        return services;
    }

    /// <summary>The architectures of <see cref="ArchitectureRegistry.BuiltInArchitectures"/>.</summary>
    public static IServiceCollection AddBuiltInArchitectures(this IServiceCollection services)
    {
        foreach (var architecture in ArchitectureRegistry.BuiltInArchitectures()) services.AddSingleton(architecture);
        services.TryAddSingleton<ArchitectureRegistry>();
        services.TryAddSingleton<ModelCatalog>();
        return services;
    }

    public static IServiceCollection AddDataset<T>(this IServiceCollection services) where T : class, IDataset
    {
        services.AddSingleton<IDataset, T>();
        services.TryAddSingleton<DatasetRegistry>();
        services.TryAddSingleton<ModelCatalog>();
        return services;
    }

    /// <summary>
    /// The data sets of <see cref="DatasetRegistry.BuiltInDatasets"/>; <paramref name="imageFolder"/> gives image-folder the
    /// host's decode parallelism and memory budget (default: every core, no budget).
    /// </summary>
    public static IServiceCollection AddBuiltInDatasets(this IServiceCollection services, Func<IServiceProvider, ImageFolderLoadOptions>? imageFolder = null)
    {
        foreach (var dataset in DatasetRegistry.BuiltInDatasets())
        {
            if (dataset is ImageFolderCatalogEntry && imageFolder is not null)
                services.AddSingleton<IDataset>(sp => new ImageFolderCatalogEntry(imageFolder(sp)));
            else services.AddSingleton(dataset);
        }
        services.TryAddSingleton<DatasetRegistry>();
        services.TryAddSingleton<ModelCatalog>();
        return services;
    }
}
