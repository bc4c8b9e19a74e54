using Microsoft.Extensions.Configuration;
using ProbeGrid.Grains.Sweeps;
using ProbeGrid.Silo.Cluster;
using ProbeGrid.Silo.Compute;

namespace ProbeGrid.Tests.Deployment;

/// <summary>
/// The configuration keys a silo really reads, so deployment files can be checked against them:
/// an environment variable ProbeGrid__Silo__X must name a property X of <see cref="ClusterSettings"/>, and so on.
/// </summary>
internal static class SettingsKeys
{
    private static readonly Dictionary<string, Type> Sections = new()
    {
        [ClusterSettings.Section] = typeof(ClusterSettings),
        [ComputeOptions.Section] = typeof(ComputeOptions),
        [SweepOptions.Section] = typeof(SweepOptions),
    };

    /// <summary>Why an environment variable is not a setting of ours, or null when it is.</summary>
    public static string? Problem(string variable)
    {
        if (!variable.StartsWith("ProbeGrid__", StringComparison.Ordinal)) return null;
        var parts = variable.Split("__");
        if (parts.Length < 3) return $"{variable} names no setting";
        var section = $"{parts[0]}:{parts[1]}";
        if (!Sections.TryGetValue(section, out var type)) return $"{variable}: no section {section}";
        // Nested settings (Tls__Certificate, Clients__0__DataRoots__0): each name a property, each index into a list.
        foreach (var part in parts.Skip(2))
        {
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
            {
                if (!int.TryParse(part, out _)) return $"{variable}: '{part}' is not an index into a list";
                type = type.GetGenericArguments()[0];
                continue;
            }
            var property = type.GetProperty(part);
            if (property is null) return $"{variable}: {type.Name} has no property {part}";
            type = property.PropertyType;
        }
        return null;
    }

    /// <summary>Binds environment-style variables (double underscores) to the silo settings, as the host does.</summary>
    public static ClusterSettings Bind(IEnumerable<KeyValuePair<string, string>> variables) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(variables.Select(v => KeyValuePair.Create(v.Key.Replace("__", ":", StringComparison.Ordinal), (string?)v.Value)))
            .Build().GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
}
