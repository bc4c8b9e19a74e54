using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using ProbeGrid.Grains;
using ProbeGrid.Silo.Storage;

namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// A silo on Azure Storage: membership and reminders in tables (Orleans keeps them only there), every grain state in
/// blobs, where no state outgrows its store (a table entity holds at most 1 MiB, Orleans' table provider 960 KiB of it).
/// docs/cluster.md lists the sizes measured.
/// </summary>
public static class AzureStorageSiloExtensions
{
    /// <summary>The Orleans blob grain storage's own name; grains use <see cref="StorageNames.State"/>, which settles its writes.</summary>
    public const string BlobStorageName = "probegrid-blobs";

    public static ISiloBuilder UseAzureStorage(this ISiloBuilder silo, ClusterSettings settings)
    {
        var azure = settings.Azure;
        silo.UseAzureStorageClustering(o => o.TableServiceClient = AzureStorageConnection.Tables(azure));
        silo.UseAzureTableReminderService(o => o.TableServiceClient = AzureStorageConnection.Tables(azure));
        silo.AddAzureBlobGrainStorage(BlobStorageName, o =>
        {
            o.BlobServiceClient = AzureStorageConnection.Blobs(azure);
            o.ContainerName = azure.EffectiveStateContainer(settings.ServiceId);
        });
        // Grains write through a storage that settles writes whose answer was lost to a storage restart (the SDK's retry of one is refused as a conflict).
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.State, (sp, _) =>
            new SettledWriteGrainStorage(sp.GetRequiredKeyedService<IGrainStorage>(BlobStorageName), sp.GetRequiredService<IGrainStorageSerializer>()));
        return silo;
    }
}
