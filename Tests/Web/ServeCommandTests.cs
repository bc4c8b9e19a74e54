using System.Net;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Cli;
using ProbeGrid.Web.Access;

namespace ProbeGrid.Tests.Web;

/// <summary>The real `probegrid serve`: it prints its URL and token, answers, refuses writes without the token, stops on Ctrl-C; off loopback without HTTPS it refuses to start.</summary>
public class ServeCommandTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Serve_prints_its_url_and_token_answers_and_stops_on_ctrl_c()
    {
        using var temp = new TempFolder();
        using var serve = CliProcess.Start(temp.Path, "serve", "--port", "0");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!serve.Output.Contains("token: ", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(100);
        var lines = serve.Output.Split(Environment.NewLine);
        var url = lines.Single(l => l.StartsWith("url: ", StringComparison.Ordinal))["url: ".Length..];
        var token = lines.Single(l => l.StartsWith("token: ", StringComparison.Ordinal))["token: ".Length..];
        var tokenFile = Path.Combine(temp.Path, ".probegrid", ApiToken.FileName);
        Assert.Equal(token, (await File.ReadAllTextAsync(tokenFile)).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));

        using var http = new HttpClient { BaseAddress = new Uri(url) };
        Assert.Equal("[]", await http.GetStringAsync("/api/sweeps"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/sweeps/x/cancel", null)).StatusCode);
        var authorized = new HttpRequestMessage(HttpMethod.Post, "/api/sweeps/x/cancel");
        authorized.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(authorized)).StatusCode);

        serve.Signal("INT");
        Assert.Equal(0, serve.WaitForExit(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Off_loopback_without_https_serve_refuses_to_start_naming_both_ways_out()
    {
        using var temp = new TempFolder();
        var (code, _, errors) = CliProcess.Run(temp.Path, TimeSpan.FromMinutes(1), "serve", "--address", "0.0.0.0", "--port", "0");
        Assert.Equal(2, code);
        Assert.Contains("--address 0.0.0.0 is not loopback and HTTPS is off", errors);
        Assert.Contains("Give --https-cert (and --https-key; scripts/certs makes them) to serve HTTPS, or --allow-insecure on a network you trust", errors);
    }
}
