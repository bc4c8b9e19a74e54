using ProbeGrid.Silo.Cluster;
using YamlDotNet.RepresentationModel;

namespace ProbeGrid.Tests.Deployment;

/// <summary>docker-compose.yml cannot run here (no Docker); it is parsed and held to the real settings instead.</summary>
public sealed class DockerComposeTests
{
    private static readonly YamlMappingNode Compose = YamlFile.Documents("docker-compose.yml").Single();

    private static Dictionary<string, string> Environment(string service) => YamlFile.ComposeEnvironment(service, Compose);

    [Fact]
    public void Redis_keeps_an_append_only_file_synced_on_every_write_on_a_volume()
    {
        var command = Compose.Items("services", "redis", "command").Select(n => ((YamlScalarNode)n).Value).ToList();
        Assert.Equal("always", command[command.IndexOf("--appendfsync") + 1]);
        Assert.Equal("yes", command[command.IndexOf("--appendonly") + 1]);
        Assert.Contains("redis-data:/data", Compose.Items("services", "redis", "volumes").Select(n => ((YamlScalarNode)n).Value));
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("silo-gpu")]
    [InlineData("dashboard")]
    public void Every_silo_setting_is_a_real_key_and_binds_to_valid_settings(string service)
    {
        var environment = Environment(service);
        Assert.All(environment.Keys, key => Assert.Null(SettingsKeys.Problem(key)));

        // The entrypoint supplies the container's address; with it the settings pass the silo's own validation.
        var settings = SettingsKeys.Bind(environment.Append(KeyValuePair.Create("ProbeGrid__Silo__AdvertisedAddress", "172.18.0.5")));
        Assert.Empty(settings.Validate());
        Assert.Equal("redis:6379", settings.Redis);
        Assert.Equal(["/data"], settings.DataRoots);
        var defaults = new ClusterSettings();
        Assert.Equal((defaults.SiloPort, defaults.GatewayPort), (settings.SiloPort, settings.GatewayPort));
    }

    [Fact]
    public void Silos_scale_without_fixed_host_ports_and_the_dashboard_is_published_on_loopback_only()
    {
        var silo = Compose.At("services", "silo");
        Assert.False(silo.Has("ports"), "a published port would stop `--scale silo=N`");
        Assert.False(silo.Has("container_name"));
        Assert.Equal("8080", Environment("dashboard")["ProbeGrid__Silo__DashboardPort"]);
        Assert.Contains("127.0.0.1:8080:8080", Compose.Items("services", "dashboard", "ports").Select(n => ((YamlScalarNode)n).Value));
    }

    [Fact]
    public void GPU_silos_request_the_NVIDIA_runtime_and_build_the_CUDA_flavour()
    {
        var gpu = Compose.At("services", "silo-gpu");
        Assert.Equal("nvidia", gpu.Text("runtime"));
        var device = gpu.Items("deploy", "resources", "reservations", "devices").Single();
        Assert.Equal("nvidia", device.Text("driver"));
        Assert.Equal("cuda", gpu.Text("build", "args", "TORCH_DEVICE"));
        Assert.Equal("cuda", Environment("silo-gpu")["ProbeGrid__Compute__Device"]);
    }
    [Theory]
    [InlineData("silo")]
    [InlineData("silo-gpu")]
    [InlineData("dashboard")]
    public void Silos_run_unprivileged_with_mutual_TLS_from_mounted_files_and_the_Redis_password(string service)
    {
        var user = Compose.Text("services", service, "user");
        Assert.Equal("${PROBEGRID_UID:-1654}:${PROBEGRID_GID:-1654}", user);

        var environment = Environment(service);
        var settings = SettingsKeys.Bind(environment.Append(KeyValuePair.Create("ProbeGrid__Silo__AdvertisedAddress", "172.18.0.5")));
        Assert.True(settings.Tls.IsOn);
        Assert.False(settings.AllowInsecure);
        var mounted = Compose.Items("services", service, "volumes").Select(n => ((YamlScalarNode)n).Value!).ToList();
        foreach (var file in new[] { settings.Tls.Certificate!, settings.Tls.Key!, settings.Tls.CertificateAuthority! })
            Assert.Contains(mounted, m => m.EndsWith(":" + file + ":ro", StringComparison.Ordinal));
        Assert.DoesNotContain(mounted, m => m.Contains("ca-key", StringComparison.Ordinal)); // the CA's key stays off the cluster
        Assert.Equal("${PROBEGRID_REDIS_PASSWORD}", settings.RedisPassword);
    }

    [Fact]
    public void Redis_requires_the_password_the_silos_are_given()
    {
        var command = Compose.Items("services", "redis", "command").Select(n => ((YamlScalarNode)n).Value!).ToList();
        Assert.StartsWith("${PROBEGRID_REDIS_PASSWORD:?", command[command.IndexOf("--requirepass") + 1]);
        Assert.False(Compose.At("services", "redis").Has("ports"), "Redis is reached on the compose network only");
        Assert.Equal("${PROBEGRID_REDIS_PASSWORD}", Compose.Text("services", "redis", "environment", "REDISCLI_AUTH"));
    }
}
