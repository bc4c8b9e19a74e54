using YamlDotNet.RepresentationModel;

namespace ProbeGrid.Tests.Deployment;

/// <summary>The k8s/ manifests, parsed and held to the real settings and to each other.</summary>
public sealed class KubernetesManifestTests
{
    private static YamlMappingNode Find(string file, string kind, string name) =>
        YamlFile.Documents("k8s", file).Single(d => d.Text("kind") == kind && d.Text("metadata", "name") == name);

    private static readonly YamlMappingNode Silo = Find("silo.yaml", "Deployment", "probegrid-silo");

    private static YamlNode Container => Silo.Items("spec", "template", "spec", "containers").Single();

    private static Dictionary<string, YamlMappingNode> Environment =>
        Container.Items("env").Cast<YamlMappingNode>().ToDictionary(e => e.Text("name"));

    [Fact]
    public void Silo_settings_are_real_keys_and_bind_to_valid_settings()
    {
        var env = Environment;
        Assert.All(env.Keys, key => Assert.Null(SettingsKeys.Problem(key)));
        var literal = env.Where(e => e.Value.Has("value")).Select(e => KeyValuePair.Create(e.Key, e.Value.Text("value")));
        var settings = SettingsKeys.Bind(literal.Append(KeyValuePair.Create("ProbeGrid__Silo__AdvertisedAddress", "10.0.0.7")));
        Assert.Empty(settings.Validate());
        Assert.True(settings.Kubernetes);
        Assert.Equal("status.podIP", env["ProbeGrid__Silo__AdvertisedAddress"].Text("valueFrom", "fieldRef", "fieldPath"));
    }

    [Fact]
    public void Orleans_Kubernetes_hosting_gets_its_labels_pod_variables_and_RBAC()
    {
        var env = Environment;
        foreach (var name in new[] { "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID" })
            Assert.True(env.ContainsKey(name), $"{name} is missing");
        var labels = (YamlMappingNode)Silo.At("spec", "template", "metadata", "labels");
        Assert.Equal(env["ProbeGrid__Silo__ClusterId"].Text("value"), labels.Text("orleans/clusterId"));
        Assert.Equal(env["ProbeGrid__Silo__ServiceId"].Text("value"), labels.Text("orleans/serviceId"));

        var account = Silo.Text("spec", "template", "spec", "serviceAccountName");
        Assert.Equal(account, Find("rbac.yaml", "ServiceAccount", account).Text("metadata", "name"));
        var role = Find("rbac.yaml", "Role", account);
        var rule = role.Items("rules").Single();
        Assert.Contains("pods", rule.Items("resources").Select(n => ((YamlScalarNode)n).Value));
        Assert.Contains("delete", rule.Items("verbs").Select(n => ((YamlScalarNode)n).Value));
        var binding = Find("rbac.yaml", "RoleBinding", account);
        Assert.Equal(role.Text("metadata", "name"), binding.Text("roleRef", "name"));
    }

    [Fact]
    public void Silos_request_a_GPU_and_are_probed_on_their_named_ports()
    {
        Assert.Equal("1", Container.Text("resources", "limits", "nvidia.com/gpu"));
        var ports = Container.Items("ports").Cast<YamlMappingNode>().ToDictionary(p => p.Text("name"), p => p.Text("containerPort"));
        Assert.Equal(Environment["ProbeGrid__Silo__SiloPort"].Text("value"), ports["silo"]);
        Assert.Equal(Environment["ProbeGrid__Silo__GatewayPort"].Text("value"), ports["gateway"]);
        Assert.Contains(Container.Text("readinessProbe", "tcpSocket", "port"), ports.Keys);
        Assert.Contains(Container.Text("livenessProbe", "tcpSocket", "port"), ports.Keys);
    }

    [Fact]
    public void The_disruption_budget_covers_the_silos_and_Redis_is_durable_and_reachable()
    {
        var budget = Find("pdb.yaml", "PodDisruptionBudget", "probegrid-silo");
        Assert.Equal(Silo.Text("spec", "selector", "matchLabels", "app"), budget.Text("spec", "selector", "matchLabels", "app"));
        Assert.Equal(Silo.Text("spec", "selector", "matchLabels", "app"), Silo.Text("spec", "template", "metadata", "labels", "app"));

        var redis = Find("redis.yaml", "StatefulSet", "probegrid-redis");
        var args = redis.Items("spec", "template", "spec", "containers").Single().Items("args").Select(n => ((YamlScalarNode)n).Value).ToList();
        Assert.Equal("always", args[args.IndexOf("--appendfsync") + 1]);
        Assert.Equal("data", redis.Items("spec", "volumeClaimTemplates").Single().Text("metadata", "name"));
        var service = Find("redis.yaml", "Service", "probegrid-redis");
        var port = service.Items("spec", "ports").Single().Text("port");
        Assert.Equal($"{service.Text("metadata", "name")}:{port}", Environment["ProbeGrid__Silo__Redis"].Text("value"));
    }
    [Fact]
    public void Silos_run_unprivileged_with_mutual_TLS_from_a_Secret_and_the_Redis_password_from_another()
    {
        var pod = Silo.At("spec", "template", "spec");
        Assert.Equal("true", pod.Text("securityContext", "runAsNonRoot"));
        Assert.NotEqual("0", pod.Text("securityContext", "runAsUser"));
        Assert.Equal("false", Container.Text("securityContext", "allowPrivilegeEscalation"));
        Assert.Contains("ALL", Container.Items("securityContext", "capabilities", "drop").Select(n => ((YamlScalarNode)n).Value));

        var env = Environment;
        var volume = pod.Items("volumes").Cast<YamlMappingNode>().Single(v => v.Has("secret") && v.Text("secret", "secretName") == "probegrid-tls");
        var mount = Container.Items("volumeMounts").Cast<YamlMappingNode>().Single(m => m.Text("name") == volume.Text("name"));
        Assert.Equal("true", mount.Text("readOnly"));
        foreach (var (setting, key) in new[] { ("Certificate", "tls.crt"), ("Key", "tls.key"), ("CertificateAuthority", "ca.crt") })
            Assert.Equal($"{mount.Text("mountPath")}/{key}", env[$"ProbeGrid__Silo__Tls__{setting}"].Text("value"));

        var password = env["ProbeGrid__Silo__RedisPassword"].At("valueFrom", "secretKeyRef");
        var redis = Find("redis.yaml", "StatefulSet", "probegrid-redis").Items("spec", "template", "spec", "containers").Single();
        var args = redis.Items("args").Select(n => ((YamlScalarNode)n).Value).ToList();
        Assert.Equal("$(REDIS_PASSWORD)", args[args.IndexOf("--requirepass") + 1]);
        var redisPassword = redis.Items("env").Cast<YamlMappingNode>().Single(e => e.Text("name") == "REDIS_PASSWORD").At("valueFrom", "secretKeyRef");
        Assert.Equal((redisPassword.Text("name"), redisPassword.Text("key")), (password.Text("name"), password.Text("key")));
    }
}
