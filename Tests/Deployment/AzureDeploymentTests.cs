using ProbeGrid.Silo.Cluster;
using YamlDotNet.RepresentationModel;

namespace ProbeGrid.Tests.Deployment;

/// <summary>
/// The Azure Storage variants of the deployment files (docker-compose.azure.yml over docker-compose.yml; k8s/azure/silo.yaml),
/// parsed and held to the real settings, to Azurite's account and to the Redis variants they mirror.
/// </summary>
public sealed class AzureDeploymentTests
{
    private static readonly YamlMappingNode Compose = YamlFile.Documents("docker-compose.yml").Single();
    private static readonly YamlMappingNode AzureCompose = YamlFile.Documents("docker-compose.azure.yml").Single();

    private static Dictionary<string, string> ComposeEnvironment(string service) => YamlFile.ComposeEnvironment(service, Compose, AzureCompose);

    [Theory]
    [InlineData("silo")]
    [InlineData("silo-gpu")]
    [InlineData("dashboard")]
    public void Compose_silos_on_Azurite_have_real_valid_settings_and_the_account_Azurite_serves(string service)
    {
        var environment = ComposeEnvironment(service);
        Assert.All(environment.Keys, key => Assert.Null(SettingsKeys.Problem(key)));
        var settings = SettingsKeys.Bind(environment.Append(KeyValuePair.Create("ProbeGrid__Silo__AdvertisedAddress", "172.18.0.5")));
        Assert.Empty(settings.Validate());
        Assert.True(settings.UsesAzure);
        Assert.True(settings.Tls.IsOn);

        // AZURITE_ACCOUNTS is NAME:KEY; the silos' connection string names that account and key, at the azurite service's ports.
        var account = AzureCompose.Text("services", "azurite", "environment", "AZURITE_ACCOUNTS");
        var name = account[..account.IndexOf(':', StringComparison.Ordinal)];
        Assert.Equal("${PROBEGRID_AZURITE_KEY:?", account[(name.Length + 1)..][..25]);
        var parts = settings.Azure.ConnectionString!.Split(';', StringSplitOptions.RemoveEmptyEntries).ToDictionary(p => p[..p.IndexOf('=', StringComparison.Ordinal)], p => p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(name, parts["AccountName"]);
        Assert.Equal("${PROBEGRID_AZURITE_KEY}", parts["AccountKey"]);
        Assert.Equal($"http://azurite:10000/{name}", parts["BlobEndpoint"]);
        Assert.Equal($"http://azurite:10002/{name}", parts["TableEndpoint"]);

        var dependsOn = (YamlMappingNode)AzureCompose.At("services", service, "depends_on");
        Assert.Equal("!override", dependsOn.Tag.Value);
        Assert.Equal("service_healthy", dependsOn.Text("azurite", "condition"));
    }

    [Fact]
    public void Compose_Azurite_is_the_pinned_one_keeps_its_data_on_a_volume_and_is_not_published_and_Redis_is_left_out()
    {
        var azurite = AzureCompose.At("services", "azurite");
        Assert.False(azurite.Has("ports"), "Azurite is reached on the compose network only");
        Assert.Contains("azurite-data:/data", azurite.Items("volumes").Select(n => ((YamlScalarNode)n).Value));
        var dockerfile = File.ReadAllText(YamlFile.RepositoryPath(azurite.Text("build", "dockerfile")));
        Assert.Contains("COPY scripts/azurite-npm/package.json scripts/azurite-npm/package-lock.json", dockerfile, StringComparison.Ordinal);
        Assert.Contains("npm ci", dockerfile, StringComparison.Ordinal);
        Assert.Contains("\"--location\", \"/data\"", dockerfile, StringComparison.Ordinal);
        Assert.Contains("redis", AzureCompose.Items("services", "redis", "profiles").Select(n => ((YamlScalarNode)n).Value));
    }

    private static YamlMappingNode Deployment(params string[] path) =>
        YamlFile.Documents(path).Single(d => d.Text("kind") == "Deployment" && d.Text("metadata", "name") == "probegrid-silo");

    private static YamlMappingNode Container(YamlMappingNode deployment) => (YamlMappingNode)deployment.Items("spec", "template", "spec", "containers").Single();

    private static Dictionary<string, YamlMappingNode> Environment(YamlMappingNode deployment) =>
        Container(deployment).Items("env").Cast<YamlMappingNode>().ToDictionary(e => e.Text("name"));

    [Fact]
    public void Kubernetes_silos_on_Azure_read_the_connection_string_from_the_Secret_and_are_otherwise_the_Redis_silos()
    {
        var azure = Deployment("k8s", "azure", "silo.yaml");
        var env = Environment(azure);
        Assert.All(env.Keys, key => Assert.Null(SettingsKeys.Problem(key)));
        var literal = env.Where(e => e.Value.Has("value")).Select(e => KeyValuePair.Create(e.Key, e.Value.Text("value")));
        var settings = SettingsKeys.Bind(literal.Append(KeyValuePair.Create("ProbeGrid__Silo__AdvertisedAddress", "10.0.0.7")));
        Assert.Empty(settings.Validate());
        Assert.True(settings.UsesAzure);
        Assert.True(settings.Kubernetes);

        var pod = azure.At("spec", "template", "spec");
        var volume = pod.Items("volumes").Cast<YamlMappingNode>().Single(v => v.Has("secret") && v.Text("secret", "secretName") == "probegrid-azure-storage");
        var mount = Container(azure).Items("volumeMounts").Cast<YamlMappingNode>().Single(m => m.Text("name") == volume.Text("name"));
        Assert.Equal("true", mount.Text("readOnly"));
        Assert.Equal($"{mount.Text("mountPath")}/connection-string", settings.Azure.ConnectionStringFile);

        // Everything but the storage settings as the Redis Deployment has it (TLS, identity, ports, probes, resources).
        var redis = Deployment("k8s", "silo.yaml");
        var redisEnv = Environment(redis);
        string[] storageKeys = ["ProbeGrid__Silo__Redis", "ProbeGrid__Silo__RedisPassword", "ProbeGrid__Silo__Storage", "ProbeGrid__Silo__Azure__ConnectionStringFile"];
        Assert.Equal(redisEnv.Keys.Except(storageKeys).Order(), env.Keys.Except(storageKeys).Order());
        foreach (var key in env.Keys.Except(storageKeys)) Assert.Equal(Describe(redisEnv[key]), Describe(env[key]));
        foreach (var field in new[] { "image", "securityContext", "ports", "resources", "readinessProbe", "livenessProbe" })
            Assert.Equal(Describe(Container(redis).At(field)), Describe(Container(azure).At(field)));
        Assert.Equal(Describe(redis.At("spec", "template", "spec", "securityContext")), Describe(pod.At("securityContext")));
        Assert.Equal(Describe(redis.At("spec", "template", "metadata")), Describe(azure.At("spec", "template", "metadata")));
    }

    private static string Describe(YamlNode node) => node.ToString();
}
