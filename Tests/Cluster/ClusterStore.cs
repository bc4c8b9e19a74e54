using ProbeGrid.Client;

namespace ProbeGrid.Tests.Cluster;

/// <summary>The cluster's storage for a test: a Redis or an Azurite of its own, and what silos and clients are told to use it.</summary>
internal sealed class ClusterStore : IDisposable
{
    public const string Redis = "redis";
    public const string Azure = "azure";

    private ClusterStore(RedisServer? redis, AzuriteServer? azurite)
    {
        RedisServer = redis;
        Azurite = azurite;
    }

    public RedisServer? RedisServer { get; }

    public AzuriteServer? Azurite { get; }

    /// <param name="redisSettings">redis-server settings (an ACL user), for <see cref="Redis"/>.</param>
    public static async Task<ClusterStore> StartAsync(string kind, string folder, string[] redisSettings) => kind switch
    {
        Redis => new ClusterStore(await RedisServer.StartAsync(Path.Combine(folder, "redis"), redisSettings), null),
        Azure => new ClusterStore(null, await AzuriteServer.StartAsync(Path.Combine(folder, "azurite"))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "redis or azure"),
    };

    /// <summary>The Redis connection string SiloProcess passes (unused on Azure, where <see cref="SiloSettings"/> switch the storage).</summary>
    public string RedisConnectionString => RedisServer?.ConnectionString ?? "127.0.0.1:1";

    public string[] SiloSettings => Azurite is null ? [] : ["--ProbeGrid:Silo:Storage=azure", $"--ProbeGrid:Silo:Azure:ConnectionString={Azurite.ConnectionString}"];

    public ClusterStorage ClientStorage => Azurite is null ? ClusterStorage.Redis(RedisServer!.ConnectionString) : ClusterStorage.Azure(Azurite.ConnectionString);

    public void Dispose()
    {
        RedisServer?.Dispose();
        Azurite?.Dispose();
    }
}
