using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Cli.Commands;
using ProbeGrid.Client;
using ProbeGrid.Silo.Cluster;
using ProbeGrid.Tests.Checkpoints;

namespace ProbeGrid.Tests.Cluster;

/// <summary>The Azure Storage settings of silos and clients: what is refused before anything connects, each problem named with its fix.</summary>
public sealed class AzureStorageSettingsTests
{
    private const string Azurite = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                                   "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    private static ClusterSettings Azure(AzureStorageSettings azure, string serviceId = "probegrid") =>
        new() { Storage = "azure", Redis = "", ServiceId = serviceId, Azure = azure };

    [Fact]
    public void A_connection_string_or_both_service_URIs_are_valid_and_Redis_is_then_not_needed()
    {
        Assert.Empty(Azure(new AzureStorageSettings { ConnectionString = Azurite }).Validate());
        Assert.Empty(Azure(new AzureStorageSettings { ConnectionStringFile = "/run/secrets/azure" }).Validate());
        Assert.Empty(Azure(new AzureStorageSettings { TableServiceUri = "https://acct.table.core.windows.net", BlobServiceUri = "https://acct.blob.core.windows.net" }).Validate());
        Assert.True(Azure(new AzureStorageSettings { ConnectionString = Azurite }).UsesAzure);
        Assert.False(new ClusterSettings().UsesAzure);
    }

    [Fact]
    public void Every_bad_combination_is_named_at_once()
    {
        Assert.Equal("ProbeGrid:Silo:Storage is azure but no account is given: give ProbeGrid:Silo:Azure:ConnectionString (or ConnectionStringFile; `scripts/azurite` prints Azurite's), " +
                     "or Azure:TableServiceUri and Azure:BlobServiceUri with a credential DefaultAzureCredential finds",
            Assert.Single(Azure(new AzureStorageSettings()).Validate()));

        var problems = Azure(new AzureStorageSettings
        {
            ConnectionString = Azurite, ConnectionStringFile = "/run/secrets/azure", TableServiceUri = "ftp://acct", StateContainer = "Bad_Name",
        }).Validate();
        Assert.Contains("ProbeGrid:Silo:Azure:ConnectionString and Azure:ConnectionStringFile are both given: give one", problems);
        Assert.Contains("ProbeGrid:Silo:Azure: a connection string and service URIs are both given: give one way to reach the account", problems);
        Assert.Contains("ProbeGrid:Silo:Azure:TableServiceUri 'ftp://acct' is not an http(s) URI: give e.g. https://ACCOUNT.table.core.windows.net", problems);
        Assert.Contains("ProbeGrid:Silo:Azure:BlobServiceUri is empty while the other service URI is given: give both (e.g. https://ACCOUNT.blob.core.windows.net)", problems);
        Assert.Contains("ProbeGrid:Silo:Azure:StateContainer 'Bad_Name' is not a blob container name: use 3-63 lower case letters, digits and single hyphens", problems);
        Assert.Equal(5, problems.Count);

        Assert.Equal("ProbeGrid:Silo:Storage 'cosmos' is not known: give redis or azure", Assert.Single(new ClusterSettings { Storage = "cosmos" }.Validate()));
        Assert.Equal("ProbeGrid:Silo:Redis is empty: give a Redis connection string such as 127.0.0.1:6379", Assert.Single(new ClusterSettings { Redis = "" }.Validate()));
    }

    [Theory]
    [InlineData("probegrid", "probegrid-state")]
    [InlineData("My_Service..2", "my-service-2-state")]
    [InlineData("x", "x-state")]
    public void The_state_container_defaults_to_a_valid_name_from_the_service_id(string serviceId, string container)
    {
        var settings = Azure(new AzureStorageSettings { ConnectionString = Azurite }, serviceId);
        Assert.Equal(container, settings.Azure.EffectiveStateContainer(settings.ServiceId));
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void A_missing_connection_string_file_or_an_unreadable_connection_string_is_refused_before_connecting()
    {
        using var folder = new TempFolder();
        var missing = folder.File("absent");
        Assert.Equal($"ProbeGrid:Silo:Azure:ConnectionStringFile '{missing}' does not exist: give a file holding the storage account's connection string (`scripts/azurite` prints Azurite's)",
            Assert.Single(AzureStorageConnection.Problems(new AzureStorageSettings { ConnectionStringFile = missing })));
        Assert.StartsWith("ProbeGrid:Silo:Azure:ConnectionString cannot be read (",
            Assert.Single(AzureStorageConnection.Problems(new AzureStorageSettings { ConnectionString = "not a connection string" })), StringComparison.Ordinal);
        File.WriteAllText(folder.File("azure"), Azurite + "\n");
        Assert.Empty(AzureStorageConnection.Problems(new AzureStorageSettings { ConnectionStringFile = folder.File("azure") }));
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), AzureStorageConnection.Tables(new AzureStorageSettings { ConnectionStringFile = folder.File("azure") }).Uri);
    }

    private static ParseResult Parse(string line)
    {
        var root = new RootCommand();
        GlobalOptions.AddTo(root);
        return root.Parse(line);
    }

    [Fact]
    public void The_CLI_reads_cluster_as_Azure_Storage_with_cluster_storage_azure_and_names_an_unknown_kind()
    {
        Assert.Equal(ClusterStorage.Azure("https://acct.table.core.windows.net"), GlobalOptions.ClusterStorage(Parse("--cluster https://acct.table.core.windows.net --cluster-storage azure")));
        Assert.Equal(ClusterStorage.Redis("127.0.0.1:6379"), GlobalOptions.ClusterStorage(Parse("--cluster 127.0.0.1:6379 --cluster-storage redis")));
        var e = Assert.Throws<ClusterCredentialsException>(() => GlobalOptions.ClusterStorage(Parse("--cluster x --cluster-storage cosmos")));
        Assert.Equal("--cluster-storage 'cosmos' is not known: give redis or azure (the silos' ProbeGrid:Silo:Storage)", Assert.Single(e.Problems));
    }

    [Fact]
    public async Task A_client_with_an_unreadable_connection_string_is_told_so_without_connecting()
    {
        var e = await Assert.ThrowsAsync<ClusterCredentialsException>(() =>
            ClusterConnection.ConnectAsync(ClusterStorage.Azure("AccountName=;nonsense"), "it", "it", logging => logging.SetMinimumLevel(LogLevel.Warning), CancellationToken.None));
        Assert.StartsWith("the Azure Storage connection string cannot be read (", Assert.Single(e.Problems), StringComparison.Ordinal);
        Assert.EndsWith("give the account's connection string (`scripts/azurite` prints Azurite's) or its table service URI, https://ACCOUNT.table.core.windows.net", e.Problems[0], StringComparison.Ordinal);
    }
}
