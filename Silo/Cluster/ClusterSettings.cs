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

    /// <summary>StackExchange.Redis connection string for membership, grain state and reminders (with <see cref="Storage"/> redis).</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Where membership, grain state and reminders live: <see cref="RedisStorage"/> (default) or <see cref="AzureStorage"/> (<see cref="Azure"/>).</summary>
    public string Storage { get; set; } = RedisStorage;

    public const string RedisStorage = "redis";

    public const string AzureStorage = "azure";

    /// <summary>The storage account, with <see cref="Storage"/> azure.</summary>
    public AzureStorageSettings Azure { get; set; } = new();

    public bool UsesAzure => string.Equals(Storage, AzureStorage, StringComparison.OrdinalIgnoreCase);

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

    /// <summary>Mutual TLS on the silo and gateway ports; required when they listen beyond loopback, unless <see cref="AllowInsecure"/>.</summary>
    public TlsSettings Tls { get; set; } = new();

    /// <summary>Listen beyond loopback without TLS (a network you trust): anyone who reaches the ports can run sweeps. The silo warns at start.</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>Client certificates and the data roots each may read (needs TLS). Empty: every client the CA signed may read all <see cref="DataRoots"/>.</summary>
    public List<ClientSettings> Clients { get; set; } = [];

    /// <summary>Redis ACL user (Redis 6+); empty: the default user.</summary>
    public string? RedisUser { get; set; }

    /// <summary>Redis password; prefer <see cref="RedisPasswordFile"/> (a command line is visible to every local user).</summary>
    public string? RedisPassword { get; set; }

    /// <summary>A file (0600) holding the Redis password, as `scripts/redis --auth` writes it.</summary>
    public string? RedisPasswordFile { get; set; }

    /// <summary>With ssl=true in <see cref="Redis"/>: a PEM file of the CA Redis's certificate must chain to (default: the system's roots).</summary>
    public string? RedisCertificateAuthority { get; set; }

    /// <summary>True when the silo and gateway ports listen on a loopback address only.</summary>
    public bool ListensOnLoopback => IPAddress.TryParse(ListenAddress, out var address) && IPAddress.IsLoopback(address);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok) problems.Add($"{Section}:{problem}");
        }
        Check(UsesAzure || string.Equals(Storage, RedisStorage, StringComparison.OrdinalIgnoreCase), $"Storage '{Storage}' is not known: give {RedisStorage} or {AzureStorage}");
        Check(UsesAzure || !string.IsNullOrWhiteSpace(Redis), "Redis is empty: give a Redis connection string such as 127.0.0.1:6379");
        if (UsesAzure) Azure.Validate($"{Section}:", ServiceId, (ok, problem) => { if (!ok) problems.Add(problem); });
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
        ValidateSecurity(Check);
        return problems;
    }

    private void ValidateSecurity(Action<bool, string> check)
    {
        Tls.Validate("Tls:", check);
        check(Tls.IsOn || AllowInsecure || ListensOnLoopback,
            $"ListenAddress {ListenAddress} is not loopback and TLS is off: anyone who reaches ports {SiloPort} and {GatewayPort} could join the cluster or run sweeps over the data roots. " +
            "Give Tls:Certificate, Tls:Key and Tls:CertificateAuthority (scripts/certs makes them), or set AllowInsecure=true on a network you trust");
        check(Clients.Count == 0 || Tls.IsOn, "Clients are listed but TLS is off: client identities come from their TLS certificates, so give Tls:Certificate, Tls:Key and Tls:CertificateAuthority");
        for (var i = 0; i < Clients.Count; i++)
        {
            var client = Clients[i];
            check(!string.IsNullOrWhiteSpace(client.Certificate), $"Clients:{i}:Certificate is empty: give the certificate's subject (e.g. CN=alice) or its SHA-256");
            check(client.DataRoots.Count > 0, $"Clients:{i}:DataRoots is empty: give the folders this client may read");
            var outside = client.DataRoots.Where(r => !Path.IsPathRooted(r) || !IsUnderAny(r, EffectiveDataRoots)).ToList();
            check(outside.Count == 0, $"Clients:{i}:DataRoots {string.Join(", ", outside)} must be absolute and lie under one of the silo's DataRoots ({string.Join(", ", EffectiveDataRoots)})");
        }
        check(Clients.Select(c => c.Certificate.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() == Clients.Count, "Clients names the same certificate twice: give each once with all its DataRoots");
        check(string.IsNullOrEmpty(RedisPassword) || string.IsNullOrEmpty(RedisPasswordFile), "RedisPassword and RedisPasswordFile are both given: give one");
    }

    /// <summary>Whether <paramref name="path"/> is one of <paramref name="roots"/> or below one, by its text (whole segments).</summary>
    internal static bool IsUnderAny(string path, IEnumerable<string> roots) => roots.Any(root => IsUnder(path, root));

    private static bool IsUnder(string path, string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return full == folder || full.StartsWith(Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }
}
