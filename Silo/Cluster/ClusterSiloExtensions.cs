using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using ProbeGrid.Grains;
using ProbeGrid.Silo.Hosting;
using Microsoft.Extensions.Hosting;

namespace ProbeGrid.Silo.Cluster;

/// <summary>A silo of a cluster: membership, grain state and reminders in Redis or Azure Storage, endpoints and metadata from the settings.</summary>
public static class ClusterSiloExtensions
{
    public static ISiloBuilder AddProbeGridCluster(this ISiloBuilder silo, ClusterSettings settings)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.ServiceId = settings.ServiceId;
        });
        var listen = IPAddress.Parse(settings.ListenAddress);
        silo.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = settings.SiloPort;
            o.GatewayPort = settings.GatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(listen, settings.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(listen, settings.GatewayPort);
            o.AdvertisedIPAddress = IPAddress.Parse(settings.AdvertisedAddress ?? settings.ListenAddress);
        });
        if (settings.UsesAzure) silo.UseAzureStorage(settings);
        else
        {
            var redis = RedisConnection.Options(settings);
            silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
            silo.AddRedisGrainStorage(StorageNames.State, o => o.ConfigurationOptions = redis.Clone());
            silo.UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone());
        }
        silo.AddProbeGrid(new GridSettings(settings.EffectiveDataRoots, settings.CacheFolder, settings.CacheFolder));
        if (settings.Kubernetes) silo.UseKubernetesHosting();
        return silo;
    }
}
