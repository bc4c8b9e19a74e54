namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// One client certificate and the data roots its sweeps may read (ProbeGrid:Silo:Clients:N). With any
/// listed, a client whose certificate matches none cannot submit sweeps.
/// </summary>
public sealed class ClientSettings
{
    /// <summary>The certificate's subject as the silo prints it (e.g. "CN=alice"), or its SHA-256 in hex.</summary>
    public string Certificate { get; set; } = "";

    /// <summary>Folders this client's specs may read from; each must lie under one of the silo's DataRoots.</summary>
    public List<string> DataRoots { get; set; } = [];
}
