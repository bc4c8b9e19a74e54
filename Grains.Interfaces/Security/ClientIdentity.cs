namespace ProbeGrid.GrainsInterfaces.Security;

/// <summary>
/// The client certificate a gateway verified in a TLS handshake: its subject (e.g. "CN=alice") and its
/// SHA-256 (uppercase hex). What an operator lists in ProbeGrid:Silo:Clients is matched against these.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClientIdentity(
    [property: Id(0)] string Subject,
    [property: Id(1)] string Sha256)
{
    public override string ToString() => $"'{Subject}' (SHA-256 {Sha256})";
}
