using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// The silo's Azure Storage clients: from a connection string (given, or read from a file) or from service URIs with
/// DefaultAzureCredential. Requests are retried for about a minute, so a storage restart delays a state write instead of failing it.
/// </summary>
public static class AzureStorageConnection
{
    /// <summary>Retries that ride out a storage restart (Azurite's takes a few seconds): 8 tries, 0.5 s doubling to at most 10 s apart.</summary>
    internal static void Configure(RetryOptions retry)
    {
        retry.Mode = RetryMode.Exponential;
        retry.MaxRetries = 8;
        retry.Delay = TimeSpan.FromMilliseconds(500);
        retry.MaxDelay = TimeSpan.FromSeconds(10);
        retry.NetworkTimeout = TimeSpan.FromSeconds(30);
    }

    public static TableServiceClient Tables(AzureStorageSettings settings)
    {
        var options = new TableClientOptions();
        Configure(options.Retry);
        return ConnectionString(settings) is { } connection
            ? new TableServiceClient(connection, options)
            : new TableServiceClient(new Uri(settings.TableServiceUri!), Credential, options);
    }

    public static BlobServiceClient Blobs(AzureStorageSettings settings)
    {
        var options = new BlobClientOptions();
        Configure(options.Retry);
        return ConnectionString(settings) is { } connection
            ? new BlobServiceClient(connection, options)
            : new BlobServiceClient(new Uri(settings.BlobServiceUri!), Credential, options);
    }

    /// <summary>One credential for every client: it caches its tokens.</summary>
    private static TokenCredential Credential => credential.Value;

    private static readonly Lazy<TokenCredential> credential = new(() => new DefaultAzureCredential());

    private static string? ConnectionString(AzureStorageSettings settings) =>
        !string.IsNullOrWhiteSpace(settings.ConnectionString) ? settings.ConnectionString
        : settings.ConnectionStringFile is { Length: > 0 } file ? File.ReadAllText(file).Trim()
        : null;

    /// <summary>What keeps <see cref="Tables"/> and <see cref="Blobs"/> from working, read from the files and strings named.</summary>
    public static IEnumerable<string> Problems(AzureStorageSettings settings)
    {
        var field = $"{ClusterSettings.Section}:Azure:";
        if (settings.ConnectionStringFile is { Length: > 0 } file && !File.Exists(file))
        {
            yield return $"{field}ConnectionStringFile '{file}' does not exist: give a file holding the storage account's connection string (`scripts/azurite` prints Azurite's)";
            yield break;
        }
        if (!settings.UsesConnectionString) yield break;
        string? unreadable = null;
        try
        {
            _ = Tables(settings);
            _ = Blobs(settings);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            unreadable = e.Message.Split('\n')[0].Trim();
        }
        if (unreadable is not null)
            yield return $"{field}ConnectionString cannot be read ({unreadable}): give one like DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net, or Azurite's from `scripts/azurite`";
    }

    /// <summary>A sentence for an Azure Storage failure that is about reaching or signing in to the account, or null for others.</summary>
    public static string? Explain(Exception failure, ClusterSettings settings)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RequestFailedException { Status: 401 or 403 } refused:
                    return $"Azure Storage refused this silo ({refused.Status} {refused.ErrorCode}): check the account key in ProbeGrid:Silo:Azure:ConnectionString, " +
                           "or give the silo's identity the Storage Table Data Contributor and Storage Blob Data Contributor roles";
                case AuthenticationFailedException or CredentialUnavailableException:
                    return $"no Azure credential for the storage account ({e.Message.Split('\n')[0].Trim()}): run the silo with a managed or workload identity, or `az login`, or give Azure:ConnectionString";
                case RequestFailedException { Status: 0 } unreachable:
                    return $"Azure Storage at {Endpoint(settings.Azure)} cannot be reached ({unreachable.Message.Split('\n')[0].Trim()}): check that it runs (scripts/azurite for Azurite) and the connection string's endpoints";
            }
        }
        return null;
    }

    private static string Endpoint(AzureStorageSettings settings)
    {
        try
        {
            return Tables(settings).Uri.ToString();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or IOException)
        {
            return "the configured account";
        }
    }
}
