using System.Net;

namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// A cluster silo's settings (section "ProbeGrid:Silo"; environment variables ProbeGrid__Silo__Redis
/// and so on; or --ProbeGrid:Silo:Redis=... on the command line). <see cref="Validate"/> names every
/// bad setting.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "ProbeGrid:Silo";

    /// <summary>StackExchange.Redis connection string for membership, grain state and reminders.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    public string ClusterId { get; set; } = "probegrid";

    public string ServiceId { get; set; } = "probegrid";

    /// <summary>Address the silo-to-silo and gateway ports bind to. Loopback by default: open it deliberately.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Address other silos and clients reach this silo at (default: the listen address; required when listening on 0.0.0.0).</summary>
    public string? AdvertisedAddress { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Folders specs may read checkpoints and data from (empty: <see cref="DefaultDataRoot"/>).</summary>
    /// <remarks>No initial item: the configuration binder appends to a list, so a default here would stay beside the configured roots.</remarks>
    public List<string> DataRoots { get; set; } = [];

    public const string DefaultDataRoot = "/usr/share/datasets";

    public IReadOnlyList<string> EffectiveDataRoots => DataRoots.Count > 0 ? DataRoots : [DefaultDataRoot];

    /// <summary>Local scratch: the activation cache.</summary>
    public string CacheFolder { get; set; } = Path.Combine(Path.GetTempPath(), "probegrid-cache");

    /// <summary>Run under Orleans' Kubernetes hosting (pod identity, and dead silos' pods cleaned up).</summary>
    public bool Kubernetes { get; set; }

    /// <summary>Port of the Orleans Dashboard; 0 turns it off.</summary>
    public int DashboardPort { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok) problems.Add($"{Section}:{problem}");
        }
        Check(!string.IsNullOrWhiteSpace(Redis), "Redis is empty: give a Redis connection string such as 127.0.0.1:6379");
        Check(!string.IsNullOrWhiteSpace(ClusterId), "ClusterId is empty");
        Check(!string.IsNullOrWhiteSpace(ServiceId), "ServiceId is empty");
        Check(IPAddress.TryParse(ListenAddress, out _), $"ListenAddress '{ListenAddress}' is not an IP address");
        Check(AdvertisedAddress is null || IPAddress.TryParse(AdvertisedAddress, out _), $"AdvertisedAddress '{AdvertisedAddress}' is not an IP address");
        Check(AdvertisedAddress is not null || ListenAddress is not ("0.0.0.0" or "::"), "AdvertisedAddress is required when ListenAddress is a wildcard: give the address other silos reach this one at");
        Check(SiloPort is > 0 and < 65536, $"SiloPort {SiloPort} is not a port (1-65535)");
        Check(GatewayPort is > 0 and < 65536, $"GatewayPort {GatewayPort} is not a port (1-65535)");
        Check(SiloPort != GatewayPort, $"SiloPort and GatewayPort are both {SiloPort}: give them different ports");
        Check(EffectiveDataRoots.All(Path.IsPathRooted), $"DataRoots must be absolute paths: {string.Join(", ", EffectiveDataRoots.Where(r => !Path.IsPathRooted(r)))}");
        Check(!string.IsNullOrWhiteSpace(CacheFolder), "CacheFolder is empty");
        Check(DashboardPort is >= 0 and < 65536, $"DashboardPort {DashboardPort} is not a port (0 = off)");
        return problems;
    }
}
