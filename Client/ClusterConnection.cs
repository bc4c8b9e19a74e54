using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Messaging;
using ProbeGrid.GrainsInterfaces.Security;
using RequestFailedException = Azure.RequestFailedException;
using Azure.Data.Tables;
using Azure.Identity;
using StackExchange.Redis;

namespace ProbeGrid.Client;

/// <summary>A client connection to a running cluster: finds the silos' gateways through the membership in Redis or Azure Storage.</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost host;

    private ClusterConnection(IHost host) => this.host = host;

    public ProbeGridClient Client => new(host.Services.GetRequiredService<IClusterClient>());

    public IClusterClient ClusterClient => host.Services.GetRequiredService<IClusterClient>();

    /// <exception cref="ClusterCredentialsException">the certificate, key, CA or Redis credentials given cannot be used (nothing was sent).</exception>
    /// <exception cref="ClusterUnreachableException">the cluster could not be joined; the message says why when it can tell (TLS, Redis credentials).</exception>
    public static Task<ClusterConnection> ConnectAsync(string redis, string clusterId, string serviceId, Action<ILoggingBuilder> logging, CancellationToken ct,
        ClusterCredentials? credentials = null) =>
        ConnectAsync(ClusterStorage.Redis(redis), clusterId, serviceId, logging, ct, credentials);

    /// <summary>Joins the cluster whose silos keep their membership in <paramref name="storage"/> (Redis or Azure Storage).</summary>
    /// <exception cref="ClusterCredentialsException">the certificate, key, CA, Redis credentials or Azure connection string given cannot be used (nothing was sent).</exception>
    /// <exception cref="ClusterUnreachableException">the cluster could not be joined; the message says why when it can tell (TLS, credentials, storage down).</exception>
    public static async Task<ClusterConnection> ConnectAsync(ClusterStorage storage, string clusterId, string serviceId, Action<ILoggingBuilder> logging, CancellationToken ct,
        ClusterCredentials? credentials = null)
    {
        credentials ??= ClusterCredentials.None;
        var problems = new List<string>();
        var tls = credentials.Tls is { } given ? TlsMaterial.Load(given, problems) : null;
        var redis = (storage as RedisClusterStorage)?.ConnectionString;
        var redisOptions = redis is null ? null : RedisOptions(redis, credentials.Redis, problems);
        var azureTables = storage is AzureClusterStorage azure ? AzureTables(azure, problems) : null;
        if (problems.Count > 0) throw new ClusterCredentialsException(problems);

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        logging(builder.Logging);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
            if (azureTables is not null) client.UseAzureStorageClustering(o => o.TableServiceClient = azureTables);
            else client.UseRedisClustering(o => o.ConfigurationOptions = redisOptions!.Clone());
            if (tls is not null) UseTls(client, tls);
        });
        var host = builder.Build();
        using var starting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var start = host.StartAsync(starting.Token);
        try
        {
            // Orleans retries a gateway whose handshake fails for minutes: when joining takes a while, find out whether TLS is why.
            if (await Task.WhenAny(start, Task.Delay(SlowStart, ct)) != start && await DiagnoseTlsAsync(host, tls) is { } mismatch)
            {
                await starting.CancelAsync();
                await Task.WhenAny(start, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
                start.Ignore();
                host.Dispose();
                throw new ClusterUnreachableException(mismatch, null);
            }
            await start;
        }
        catch (Exception e) when (e is not (OperationCanceledException or ClusterUnreachableException))
        {
            var why = (redis is null ? ExplainAzure(e, storage) : ExplainRedis(e, redis)) ?? await DiagnoseTlsAsync(host, tls);
            host.Dispose();
            throw new ClusterUnreachableException(why ??
                $"cannot reach the ProbeGrid cluster '{clusterId}' through {storage.Describe()} ({e.Message}): check that {(redis is null ? "the storage account (scripts/azurite for Azurite)" : "Redis (scripts/redis)")} runs and at least one silo is up (probegrid-silo)", e);
        }
        return new ClusterConnection(host);
    }

    /// <summary>How long joining may take before a TLS mismatch is looked for (a handshake with a gateway of the cluster).</summary>
    private static readonly TimeSpan SlowStart = TimeSpan.FromSeconds(2);

    /// <summary>Mutual TLS to the gateways: this client's certificate, gateways trusted only with silo certificates from the cluster's CA, and the gateways' tokens carried on every call.</summary>
    private static void UseTls(IClientBuilder client, TlsMaterial tls)
    {
        var tokens = new GatewayTokens();
        var options = new TlsOptions
        {
            LocalCertificate = tls.Certificate,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = (certificate, chain, _) => tls.Trust.Refusal(certificate, chain, PeerKind.Silo) is null,
        };
        client.Configure<ClientConnectionOptions>(o => o.ConfigureConnection(b =>
        {
            b.UseClientTls(options);
            tokens.Use(b);
        }));
        client.AddOutgoingGrainCallFilter(async context =>
        {
            RequestContext.Set(GatewayIdentity.RequestContextKey, tokens.Current);
            await context.Invoke();
        });
    }

    private static ConfigurationOptions? RedisOptions(string redis, RedisCredentials? credentials, List<string> problems)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(redis);
        }
        catch (ArgumentException e)
        {
            problems.Add($"the Redis connection string '{redis}' cannot be read ({e.Message}): give host:port, with ,ssl=true for Redis over TLS");
            return null;
        }
        if (credentials is null) return options;
        if (!string.IsNullOrWhiteSpace(credentials.User)) options.User = credentials.User;
        if (!string.IsNullOrEmpty(credentials.Password)) options.Password = credentials.Password;
        if (credentials.CertificateAuthority is { Length: > 0 } ca)
        {
            if (!File.Exists(ca)) problems.Add($"the Redis CA (--redis-ca) '{ca}' does not exist: give the PEM file of the CA that signed Redis's certificate");
            else if (!options.Ssl) problems.Add($"a Redis CA (--redis-ca) is given but Redis '{redis}' is not TLS: add ,ssl=true to it");
            else options.TrustIssuer(ca);
        }
        return options;
    }

    private static TableServiceClient? AzureTables(AzureClusterStorage azure, List<string> problems)
    {
        try
        {
            return azure.Tables();
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            problems.Add($"the Azure Storage connection string cannot be read ({e.Message.Split('\n')[0].Trim()}): give the account's connection string " +
                         "(`scripts/azurite` prints Azurite's) or its table service URI, https://ACCOUNT.table.core.windows.net");
            return null;
        }
    }

    /// <summary>A sentence when <paramref name="failure"/> is Azure Storage refusing this client or its credential missing, else null.</summary>
    private static string? ExplainAzure(Exception failure, ClusterStorage storage)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e is RequestFailedException { Status: 401 or 403 } refused)
                return $"{storage.Describe()} refused this client ({refused.Status} {refused.ErrorCode}): check the account key in the connection string, " +
                       "or give your identity the Storage Table Data Reader role on the account";
            if (e is AuthenticationFailedException or CredentialUnavailableException)
                return $"no Azure credential for {storage.Describe()} ({e.Message.Split('\n')[0].Trim()}): `az login`, or give the account's connection string in PROBEGRID_CLUSTER";
        }
        return null;
    }

    /// <summary>A sentence when <paramref name="failure"/> is Redis refusing this client's credentials, else null.</summary>
    private static string? ExplainRedis(Exception failure, string redis)
    {
        for (var e = failure; e is not null; e = e.InnerException)
            if (e is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure } || e.Message.Contains("NOAUTH", StringComparison.Ordinal) || e.Message.Contains("WRONGPASS", StringComparison.Ordinal))
                return $"Redis at {redis} refused this client's credentials ({e.Message.Split('\n')[0].Trim()}): give its ACL user and password " +
                       "(--redis-user and --redis-password-file, or PROBEGRID_REDIS_USER and PROBEGRID_REDIS_PASSWORD_FILE; `scripts/redis --auth` writes them)";
        return null;
    }

    /// <summary>A sentence when a gateway's TLS does not match this client's (one handshake with each of up to three gateways), else null.</summary>
    private static async Task<string?> DiagnoseTlsAsync(IHost host, TlsMaterial? tls)
    {
        IList<Uri> gateways;
        try
        {
            // Initialised by the client's start (not again here: the starting client shares it).
            gateways = await host.Services.GetRequiredService<IGatewayListProvider>().GetGateways();
        }
        catch (Exception)
        {
            return null; // the gateway list was never read (Redis unreachable): the caller's message covers it
        }
        foreach (var gateway in gateways.Take(3))
        {
            if (!IPAddress.TryParse(gateway.DnsSafeHost, out var address)) continue;
            var endpoint = new IPEndPoint(address, gateway.Port);
            var result = await TlsProbe.RunAsync(endpoint, tls?.Certificate, tls?.Trust, gateway: true, TimeSpan.FromSeconds(5));
            var why = result.Outcome switch
            {
                TlsProbeOutcome.NeedsTls =>
                    $"the gateway at {endpoint} requires mutual TLS and this client has no certificate: give --tls-cert, --tls-key and --tls-ca " +
                    "(or PROBEGRID_TLS_CERT, PROBEGRID_TLS_KEY and PROBEGRID_TLS_CA) with a client certificate from the cluster's CA (`scripts/certs --client NAME` makes one)",
                TlsProbeOutcome.NoTls when tls is not null =>
                    $"the gateway at {endpoint} runs without TLS: this cluster takes no client certificate, so leave out --tls-cert, --tls-key and --tls-ca",
                TlsProbeOutcome.PeerCertificateRefused =>
                    $"the gateway at {endpoint} is not trusted: {result.Detail}: give the cluster's CA with --tls-ca",
                TlsProbeOutcome.OwnCertificateRefused =>
                    $"the gateway at {endpoint} refused this client's certificate {CertificateFiles.Describe(tls!.Certificate)} ({result.Detail}): " +
                    "the cluster accepts client certificates signed by its CA, unexpired, with the clientAuth usage; the silo's log says which check failed",
                _ => null,
            };
            if (why is not null) return why;
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>The client's certificate and the trust in the cluster's CA, checked here first: a certificate the cluster would refuse is reported without connecting.</summary>
    private sealed record TlsMaterial(X509Certificate2 Certificate, ClusterTrust Trust)
    {
        public static TlsMaterial? Load(ClientTls tls, List<string> problems)
        {
            var found = new List<string>();
            var certificate = CertificateFiles.LoadWithKey(tls.Certificate, tls.Key, password: null, "the client certificate (--tls-cert)", found);
            var authorities = CertificateFiles.LoadAuthorities(tls.CertificateAuthority, "the cluster's CA (--tls-ca)", found);
            if (certificate is not null && authorities.Count > 0 && new ClusterTrust(authorities).Refusal(certificate, null, PeerKind.Client) is { } refusal)
                found.Add($"the client certificate (--tls-cert) {CertificateFiles.Describe(certificate)} would be refused by the cluster: {refusal}: " +
                          "use a certificate the cluster's CA signed for clients (`scripts/certs --client NAME` makes one)");
            problems.AddRange(found);
            return found.Count == 0 ? new TlsMaterial(certificate!, new ClusterTrust(authorities)) : null;
        }
    }
}
