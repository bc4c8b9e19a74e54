using YamlDotNet.RepresentationModel;

namespace ProbeGrid.Tests.Deployment;

/// <summary>Reads a repository YAML file (all its documents) and walks it by keys.</summary>
internal static class YamlFile
{
    public static string RepositoryPath(params string[] parts)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "ProbeGrid.sln"))) folder = folder.Parent;
        return Path.Combine([folder?.FullName ?? throw new InvalidOperationException("ProbeGrid.sln not found above the test output"), .. parts]);
    }

    public static IReadOnlyList<YamlMappingNode> Documents(params string[] path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(RepositoryPath(path));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    public static YamlNode At(this YamlNode node, params string[] keys)
    {
        foreach (var key in keys)
            node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        return node;
    }

    public static bool Has(this YamlNode node, string key) => ((YamlMappingNode)node).Children.ContainsKey(new YamlScalarNode(key));

    public static string Text(this YamlNode node, params string[] keys) => ((YamlScalarNode)node.At(keys)).Value!;

    public static IEnumerable<YamlNode> Items(this YamlNode node, params string[] keys) => (YamlSequenceNode)node.At(keys);

    /// <summary>
    /// A Compose service's environment as Compose sees it: YAML merge keys (<c>&lt;&lt;: *anchor</c>) applied, and each later
    /// file (an override such as docker-compose.azure.yml) laid over the earlier ones.
    /// </summary>
    public static Dictionary<string, string> ComposeEnvironment(string service, params YamlMappingNode[] files)
    {
        var result = new Dictionary<string, string>();
        void Add(YamlMappingNode mapping)
        {
            if (mapping.Children.TryGetValue(new YamlScalarNode("<<"), out var merged)) Add((YamlMappingNode)merged);
            foreach (var (key, value) in mapping.Children.Where(kv => kv.Key is YamlScalarNode { Value: not "<<" }))
                result[((YamlScalarNode)key).Value!] = ((YamlScalarNode)value).Value!;
        }
        foreach (var file in files) Add((YamlMappingNode)file.At("services", service, "environment"));
        return result;
    }
}
