namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// Where an Azure-backed cluster keeps membership, grain state and reminders (section "ProbeGrid:Silo:Azure"): an
/// account's connection string (Azurite's or a real one; best from a file or the environment, never the command
/// line), or its table and blob service URIs with DefaultAzureCredential (managed identity, workload identity, az login).
/// </summary>
public sealed class AzureStorageSettings
{
    /// <summary>A storage account connection string, e.g. Azurite's (scripts/azurite prints it).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A file (0600, or a mounted Kubernetes Secret) holding the connection string.</summary>
    public string? ConnectionStringFile { get; set; }

    /// <summary>The table service URI (https://ACCOUNT.table.core.windows.net), reached with DefaultAzureCredential.</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>The blob service URI (https://ACCOUNT.blob.core.windows.net), reached with DefaultAzureCredential.</summary>
    public string? BlobServiceUri { get; set; }

    /// <summary>The blob container grain state lives in (default: the service id and "-state", made a valid container name).</summary>
    /// <remarks>Blob names carry no service id, so two services sharing an account need two containers: the default keeps them apart.</remarks>
    public string? StateContainer { get; set; }

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(ConnectionStringFile);

    public string EffectiveStateContainer(string serviceId) => StateContainer is { Length: > 0 } given ? given : ContainerName(serviceId + "-state");

    /// <summary>A valid blob container name from <paramref name="text"/>: lower case letters, digits and single hyphens, 3 to 63 long.</summary>
    internal static string ContainerName(string text)
    {
        var chars = text.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-').ToArray();
        var name = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        if (name.Length < 3) name = ("probegrid-" + name).TrimEnd('-');
        return name.Length > 63 ? name[..63].TrimEnd('-') : name;
    }

    internal static bool IsContainerName(string name) =>
        name.Length is >= 3 and <= 63 && name == ContainerName(name);

    public void Validate(string field, string serviceId, Action<bool, string> check)
    {
        var withString = (string.IsNullOrWhiteSpace(ConnectionString) ? 0 : 1) + (string.IsNullOrWhiteSpace(ConnectionStringFile) ? 0 : 1);
        var withUris = !string.IsNullOrWhiteSpace(TableServiceUri) || !string.IsNullOrWhiteSpace(BlobServiceUri);
        check(withString + (withUris ? 1 : 0) > 0,
            $"{field}Storage is azure but no account is given: give {field}Azure:ConnectionString (or ConnectionStringFile; `scripts/azurite` prints Azurite's), " +
            "or Azure:TableServiceUri and Azure:BlobServiceUri with a credential DefaultAzureCredential finds");
        check(withString < 2, $"{field}Azure:ConnectionString and Azure:ConnectionStringFile are both given: give one");
        check(withString == 0 || !withUris, $"{field}Azure: a connection string and service URIs are both given: give one way to reach the account");
        if (withUris)
        {
            CheckUri(TableServiceUri, "TableServiceUri", "https://ACCOUNT.table.core.windows.net", field, check);
            CheckUri(BlobServiceUri, "BlobServiceUri", "https://ACCOUNT.blob.core.windows.net", field, check);
        }
        var container = EffectiveStateContainer(serviceId);
        check(IsContainerName(container), $"{field}Azure:StateContainer '{container}' is not a blob container name: use 3-63 lower case letters, digits and single hyphens");
    }

    private static void CheckUri(string? value, string name, string example, string field, Action<bool, string> check)
    {
        check(!string.IsNullOrWhiteSpace(value), $"{field}Azure:{name} is empty while the other service URI is given: give both (e.g. {example})");
        check(string.IsNullOrWhiteSpace(value) || Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http",
            $"{field}Azure:{name} '{value}' is not an http(s) URI: give e.g. {example}");
    }
}
