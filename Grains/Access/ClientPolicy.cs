using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Grains.Access;

/// <summary>
/// Which data roots each client certificate may read. Without entries nobody is restricted (the silo's
/// own data roots hold for every caller); with entries, a caller whose certificate matches none may not submit.
/// </summary>
public sealed class ClientPolicy
{
    private readonly IReadOnlyList<(string Certificate, DataRoots Roots)> entries;

    public ClientPolicy(IEnumerable<(string Certificate, IReadOnlyList<string> Roots)> entries) =>
        this.entries = entries.Select(e => (Normalise(e.Certificate), new DataRoots(e.Roots))).ToList();

    public static ClientPolicy Unrestricted { get; } = new([]);

    public bool Restricts => entries.Count > 0;

    /// <summary>The roots of <paramref name="client"/>: the entry naming its subject or its SHA-256; null when none does.</summary>
    public DataRoots? RootsOf(ClientIdentity client)
    {
        var subject = Normalise(client.Subject);
        var sha256 = Normalise(client.Sha256);
        return entries.FirstOrDefault(e => e.Certificate == subject || e.Certificate == sha256).Roots;
    }

    /// <summary>Case and spacing do not matter, nor colons in a fingerprint ("AB:CD..." as openssl prints it).</summary>
    private static string Normalise(string certificate)
    {
        var text = certificate.Trim().ToUpperInvariant();
        var hex = text.Replace(":", "", StringComparison.Ordinal);
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex : string.Join(", ", text.Split(',', StringSplitOptions.TrimEntries));
    }
}
