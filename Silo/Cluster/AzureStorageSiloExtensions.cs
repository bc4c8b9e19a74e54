using Orleans.Configuration;
using ProbeGrid.Grains;

namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// A silo on Azure Storage: membership and reminders in tables (Orleans keeps them only there), every grain state in
/// blobs, where no state outgrows its store (a table entity holds at most 1 MiB, Orleans' table provider 960 KiB of it).
/// docs/cluster.md lists the sizes measured.
/// </summary>
public static class AzureStorageSiloExtensions
{
    public static ISiloBuilder UseAzureStorage(this ISiloBuilder silo, ClusterSettings settings)
    {
        var azure = settings.Azure;
        silo.UseAzureStorageClustering(o => o.TableServiceClient = AzureStorageConnection.Tables(azure));
        silo.UseAzureTableReminderService(o => o.TableServiceClient = AzureStorageConnection.Tables(azure));
        silo.AddAzureBlobGrainStorage(StorageNames.State, o =>
        {
            o.BlobServiceClient = AzureStorageConnection.Blobs(azure);
            o.ContainerName = azure.EffectiveStateContainer(settings.ServiceId);
        });
        return silo;
    }
}
