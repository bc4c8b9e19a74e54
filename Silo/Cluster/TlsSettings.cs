namespace ProbeGrid.Silo.Cluster;

/// <summary>
/// Mutual TLS on a silo's silo and gateway ports (section ProbeGrid:Silo:Tls). On when a certificate is
/// given (a file or a store subject); then <see cref="CertificateAuthority"/> is required, and peers are
/// accepted only with certificates that CA signed (silos: serverAuth and clientAuth; clients: clientAuth).
/// scripts/certs makes a development CA and the certificates.
/// </summary>
public sealed class TlsSettings
{
    /// <summary>The silo's certificate: a PEM file (with <see cref="Key"/>, or holding its key) or a PKCS#12 file (.pfx, .p12).</summary>
    public string? Certificate { get; set; }

    /// <summary>The PEM private key of <see cref="Certificate"/> (keep it 0600).</summary>
    public string? Key { get; set; }

    /// <summary>A file holding the PKCS#12 password, if the file has one.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Instead of a file: the subject of a certificate in a store (the newest unexpired one with a private key).</summary>
    public string? StoreSubject { get; set; }

    public string StoreName { get; set; } = "My";

    /// <summary>CurrentUser or LocalMachine.</summary>
    public string StoreLocation { get; set; } = "CurrentUser";

    /// <summary>PEM file of the CA (or CAs) peers' certificates must chain to; the system's roots are not trusted.</summary>
    public string? CertificateAuthority { get; set; }

    public bool IsOn => !string.IsNullOrWhiteSpace(Certificate) || !string.IsNullOrWhiteSpace(StoreSubject);

    /// <summary>Problems that need no file to be read (the files are checked when the silo loads them).</summary>
    public void Validate(string prefix, Action<bool, string> check)
    {
        check(string.IsNullOrWhiteSpace(Certificate) || string.IsNullOrWhiteSpace(StoreSubject),
            $"{prefix}Certificate and {prefix}StoreSubject are both given: give one");
        check(string.IsNullOrWhiteSpace(Key) || !string.IsNullOrWhiteSpace(Certificate), $"{prefix}Key is given without {prefix}Certificate");
        check(!IsOn || !string.IsNullOrWhiteSpace(CertificateAuthority),
            $"{prefix}CertificateAuthority is missing: with TLS on, give the PEM file of the CA that signs the cluster's certificates (scripts/certs writes ca.pem)");
        check(IsOn || string.IsNullOrWhiteSpace(CertificateAuthority),
            $"{prefix}CertificateAuthority is given without a certificate: give {prefix}Certificate (and {prefix}Key) too, or leave TLS off");
    }
}
