using System.Security.Cryptography;

namespace ProbeGrid.Web.Access;

/// <summary>
/// The API's bearer token: 32 random bytes (base64url) made on the first `serve` into the state folder, readable by its
/// owner only (0600), and kept for later runs so scripts and notebooks can read it from there.
/// </summary>
public static class ApiToken
{
    public const string FileName = "api-token";

    public static string PathIn(string stateFolder) => Path.Combine(stateFolder, FileName);

    /// <summary>The state folder's token, made when there is none. A token file others may read is made owner-only again.</summary>
    public static string LoadOrCreate(string stateFolder, out bool created)
    {
        var path = PathIn(stateFolder);
        Directory.CreateDirectory(stateFolder);
        created = false;
        if (!File.Exists(path))
        {
            var token = Base64Url(RandomNumberGenerator.GetBytes(32));
            try
            {
                // Created owner-only: no moment exists at which others could read it.
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(path, options);
                using var writer = new StreamWriter(stream);
                writer.WriteLine(token);
                created = true;
                return token;
            }
            catch (IOException) when (File.Exists(path))
            {
                // another serve made it first: use theirs
            }
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var text = File.ReadAllText(path).Trim();
        if (text.Length < 32)
            throw new InvalidDataException($"the API token file {path} holds no token (under 32 characters): delete it and `probegrid serve` makes a new one");
        return text;
    }

    /// <summary>Compares in constant time, so the answer's timing tells nothing of the token.</summary>
    public static bool Matches(string token, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(token), System.Text.Encoding.UTF8.GetBytes(given));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
