using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace ProbeGrid.Client;

/// <summary>Where a cluster's silos keep their membership, and so where a client finds their gateways: Redis or Azure Storage.</summary>
public abstract record ClusterStorage
{
    public static ClusterStorage Redis(string connectionString) => new RedisClusterStorage(connectionString);

    /// <param name="account">the storage account's connection string, or its table service URI (https://ACCOUNT.table.core.windows.net) reached with DefaultAzureCredential.</param>
    public static ClusterStorage Azure(string account) => new AzureClusterStorage(account);

    /// <summary>Where the membership is, for messages (no secrets).</summary>
    public abstract string Describe();
}

/// <param name="ConnectionString">StackExchange.Redis connection string, e.g. 127.0.0.1:6379.</param>
public sealed record RedisClusterStorage(string ConnectionString) : ClusterStorage
{
    public override string Describe() => $"Redis at {ConnectionString}";
}

/// <param name="Account">a connection string, or a table service URI reached with DefaultAzureCredential.</param>
public sealed record AzureClusterStorage(string Account) : ClusterStorage
{
    public bool IsServiceUri => Uri.TryCreate(Account, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    /// <summary>The membership table's service client; retried for about a minute, as the silos' are, so a storage restart delays a client instead of failing it.</summary>
    /// <exception cref="FormatException">the connection string cannot be read.</exception>
    public TableServiceClient Tables()
    {
        var options = new TableClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 8;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        return IsServiceUri ? new TableServiceClient(new Uri(Account), new DefaultAzureCredential(), options) : new TableServiceClient(Account, options);
    }

    public override string Describe()
    {
        if (IsServiceUri) return $"Azure Storage at {Account}";
        try
        {
            return $"Azure Storage at {Tables().Uri}";
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return "Azure Storage (an unreadable connection string)";
        }
    }
}
