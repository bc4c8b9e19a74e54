using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ProbeGrid.GrainsInterfaces.Security;

/// <summary>
/// Loads the certificates of mutual TLS: a certificate with its private key (PEM certificate and key,
/// one PEM holding both, or PKCS#12), one from a certificate store, and the CA certificates to trust.
/// Each loader names what is wrong and how to fix it instead of throwing the crypto library's message alone.
/// </summary>
public static class CertificateFiles
{
    /// <summary>The certificate at <paramref name="certificate"/> with its private key, or null with the problems added.</summary>
    /// <param name="key">the PEM private key; null when the certificate file holds it (PEM) or is PKCS#12.</param>
    /// <param name="password">the PKCS#12 password, if any.</param>
    public static X509Certificate2? LoadWithKey(string certificate, string? key, string? password, string field, List<string> problems)
    {
        if (!File.Exists(certificate))
        {
            problems.Add($"{field} '{certificate}' does not exist: give the certificate file (scripts/certs makes one)");
            return null;
        }
        if (key is not null && !File.Exists(key))
        {
            problems.Add($"{field}: the key file '{key}' does not exist: give the private key that belongs to the certificate");
            return null;
        }
        try
        {
            X509Certificate2 loaded;
            if (IsPkcs12(certificate))
                loaded = X509CertificateLoader.LoadPkcs12FromFile(certificate, password, X509KeyStorageFlags.EphemeralKeySet);
            else
                loaded = X509Certificate2.CreateFromPemFile(certificate, key);
            if (!loaded.HasPrivateKey)
            {
                problems.Add($"{field} '{certificate}' has no private key: give the key file too (or a PKCS#12 file with the key)");
                return null;
            }
            return loaded;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{field} '{certificate}'{(key is null ? "" : $" with key '{key}'")} cannot be loaded ({e.Message}): give a PEM certificate and its PEM key, or a PKCS#12 file and its password");
            return null;
        }
    }

    /// <summary>The newest valid certificate with a private key whose subject contains <paramref name="subject"/>, from a store.</summary>
    public static X509Certificate2? FromStore(string subject, string storeName, string storeLocation, string field, List<string> problems)
    {
        if (!Enum.TryParse<StoreLocation>(storeLocation, ignoreCase: true, out var location))
        {
            problems.Add($"{field}: store location '{storeLocation}' is not CurrentUser or LocalMachine");
            return null;
        }
        try
        {
            using var store = new X509Store(storeName, location);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var found = store.Certificates.Find(X509FindType.FindBySubjectName, subject, validOnly: false)
                .Where(c => c.HasPrivateKey && c.NotAfter > DateTime.Now)
                .OrderByDescending(c => c.NotAfter).FirstOrDefault();
            if (found is null)
                problems.Add($"{field}: no unexpired certificate with a private key and subject '{subject}' in store {location}/{storeName}: import one, or give a file instead");
            return found;
        }
        catch (CryptographicException e)
        {
            problems.Add($"{field}: the store {location}/{storeName} cannot be opened ({e.Message}): give a certificate file instead");
            return null;
        }
    }

    /// <summary>The CA certificates in the PEM file at <paramref name="path"/> (a bundle may hold several), or empty with the problem added.</summary>
    public static X509Certificate2Collection LoadAuthorities(string path, string field, List<string> problems)
    {
        var authorities = new X509Certificate2Collection();
        if (!File.Exists(path))
        {
            problems.Add($"{field} '{path}' does not exist: give the PEM file of the CA that signed the cluster's certificates (scripts/certs writes ca.pem)");
            return authorities;
        }
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"{field} '{path}' cannot be read as PEM certificates ({e.Message})");
            return authorities;
        }
        if (authorities.Count == 0)
            problems.Add($"{field} '{path}' holds no PEM certificate: give the CA's certificate (-----BEGIN CERTIFICATE-----)");
        return authorities;
    }

    /// <summary>The SHA-256 of the certificate, as uppercase hex: what an operator pins a client to.</summary>
    public static string Sha256(X509Certificate2 certificate) => certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>A line naming a certificate: subject, issuer, validity and SHA-256.</summary>
    public static string Describe(X509Certificate2 certificate) => string.Create(CultureInfo.InvariantCulture,
        $"'{certificate.Subject}' issued by '{certificate.Issuer}', valid {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC, SHA-256 {Sha256(certificate)}");

    private static bool IsPkcs12(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".pfx" or ".p12") return true;
        // A PEM file starts with text; PKCS#12 is DER (an ASN.1 SEQUENCE, 0x30).
        using var stream = File.OpenRead(path);
        return stream.ReadByte() == 0x30;
    }
}
