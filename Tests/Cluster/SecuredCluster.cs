using System.Diagnostics;
using System.Security.Cryptography;
using ProbeGrid.Client;
using ProbeGrid.Tests.Deployment;

namespace ProbeGrid.Tests.Cluster;

/// <summary>
/// What a secured cluster needs, made as an operator makes it: certificates from scripts/certs (a CA, the
/// silos', one per client) and a Redis password for an ACL user (the default user off), kept in a 0600 file.
/// </summary>
internal sealed class SecuredCluster
{
    public const string RedisUser = "probegrid";

    private SecuredCluster(string folder)
    {
        Certificates = Path.Combine(folder, "certs");
        PasswordFile = Path.Combine(folder, "redis-password");
    }

    public string Certificates { get; }

    public string Authority => Path.Combine(Certificates, "ca.pem");

    public string PasswordFile { get; }

    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Runs scripts/certs into <paramref name="folder"/>/certs for <paramref name="clients"/> and writes the Redis password.</summary>
    public static SecuredCluster Make(string folder, params string[] clients)
    {
        var secured = new SecuredCluster(folder);
        var start = new ProcessStartInfo(YamlFile.RepositoryPath("scripts", "certs")) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--dir", secured.Certificates }.Concat(clients.SelectMany(c => new[] { "--client", c }))) start.ArgumentList.Add(argument);
        using (var process = Process.Start(start)!)
        {
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"scripts/certs failed ({process.ExitCode}): {errors.Result}");
        }
        File.WriteAllText(secured.PasswordFile, secured.Password);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(secured.PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secured;
    }

    /// <summary>redis-server settings: only <see cref="RedisUser"/> with <see cref="Password"/> may connect.</summary>
    public string[] RedisSettings => ["--user", "default", "off", "--user", RedisUser, "on", ">" + Password, "~*", "&*", "+@all"];

    /// <summary>A silo's TLS and Redis settings.</summary>
    public string[] SiloSettings =>
    [
        $"--ProbeGrid:Silo:Tls:Certificate={Path.Combine(Certificates, "silo.pem")}",
        $"--ProbeGrid:Silo:Tls:Key={Path.Combine(Certificates, "silo-key.pem")}",
        $"--ProbeGrid:Silo:Tls:CertificateAuthority={Authority}",
        $"--ProbeGrid:Silo:RedisUser={RedisUser}",
        $"--ProbeGrid:Silo:RedisPasswordFile={PasswordFile}",
    ];

    public ClientTls Client(string name) =>
        new(Path.Combine(Certificates, $"client-{name}.pem"), Path.Combine(Certificates, $"client-{name}-key.pem"), Authority);

    public RedisCredentials RedisCredentials => new(RedisUser, Password);

    public ClusterCredentials Credentials(string client) => new(Client(client), RedisCredentials);
}
