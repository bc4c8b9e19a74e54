using System.Net;
using System.Security.Cryptography.X509Certificates;
using ProbeGrid.GrainsInterfaces.Security;

namespace ProbeGrid.Web.Hosting;

/// <summary>
/// Where `probegrid serve` listens. Loopback by default; a non-loopback address needs HTTPS (a certificate) or an explicit
/// <see cref="AllowInsecure"/>, the rule the silos follow (ProbeGrid:Silo:AllowInsecure).
/// </summary>
/// <param name="Certificate">PEM (with <paramref name="Key"/>, or holding its key) or PKCS#12 file for HTTPS.</param>
public sealed record ListenSettings(string Address, int Port, string? Certificate = null, string? Key = null, bool AllowInsecure = false)
{
    public const string DefaultAddress = "127.0.0.1";
    public const int DefaultPort = 5180;

    public bool IsLoopback => Address == "localhost" || IPAddress.TryParse(Address, out var ip) && IPAddress.IsLoopback(ip);

    /// <summary>Checks the settings and loads the certificate (null without one); every problem is added, naming the option and the fix.</summary>
    public X509Certificate2? Check(List<string> problems)
    {
        if (Address != "localhost" && !IPAddress.TryParse(Address, out _))
            problems.Add($"--address '{Address}' is not an IP address: give one (127.0.0.1, ::1, 0.0.0.0 for every interface) or localhost");
        if (Port is < 0 or > 65535) problems.Add($"--port {Port} is not a port: give 1 to 65535 (0: any free port)");
        if (string.IsNullOrEmpty(Certificate) && !string.IsNullOrEmpty(Key)) problems.Add("--https-key is given without --https-cert: give the certificate too");
        if (!IsLoopback && string.IsNullOrEmpty(Certificate) && !AllowInsecure)
            problems.Add($"--address {Address} is not loopback and HTTPS is off: anyone who reaches port {Port} would see the token in flight. " +
                         "Give --https-cert (and --https-key; scripts/certs makes them) to serve HTTPS, or --allow-insecure on a network you trust");
        return string.IsNullOrEmpty(Certificate) ? null : CertificateFiles.LoadWithKey(Certificate, string.IsNullOrEmpty(Key) ? null : Key, null, "--https-cert", problems);
    }
}
