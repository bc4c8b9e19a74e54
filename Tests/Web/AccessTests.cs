using System.Net;
using System.Text.Json;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Web.Access;
using ProbeGrid.Web.Endpoints;
using ProbeGrid.Web.Hosting;

namespace ProbeGrid.Tests.Web;

/// <summary>
/// The token rule (loopback: reads open, writes need the token; off loopback: everything needs it), the token file, the listen
/// rule (off loopback: HTTPS or --allow-insecure), the dashboard's folder and the OpenAPI document.
/// </summary>
[Collection(WebGridCollection.Name)]
public class AccessTests(WebGrid web)
{
    [Fact]
    public async Task On_loopback_reads_are_open_and_writes_need_the_token()
    {
        Assert.Equal(HttpStatusCode.OK, (await web.Api.GetAsync("/api/sweeps")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await web.Api.GetAsync($"/api/sweeps/{WebGrid.Probes}/curves?metric=probe.test_error")).StatusCode);

        foreach (var request in new[]
                 {
                     new HttpRequestMessage(HttpMethod.Post, $"/api/sweeps/{WebGrid.Probes}/cancel"),
                     WebGrid.Authorized(HttpMethod.Post, $"/api/sweeps/{WebGrid.Probes}/stop", "wrong-token"),
                     new HttpRequestMessage(HttpMethod.Post, "/api/sweeps") { Content = new StringContent("{}") },
                 })
            await AssertRefused(await web.Api.SendAsync(request), "a request that changes state needs the API token");
        Assert.Equal(HttpStatusCode.OK, (await web.Api.SendAsync(WebGrid.Authorized(HttpMethod.Post, $"/api/sweeps/{WebGrid.Probes}/stop"))).StatusCode);
    }

    [Fact]
    public async Task Off_loopback_everything_but_the_dashboards_files_needs_the_token()
    {
        foreach (var path in new[] { "/api/sweeps", $"/api/sweeps/{WebGrid.Probes}/results", "/openapi/v1.json", "/api/no-such", "/openapi/v2.json" })
        {
            await AssertRefused(await web.RemoteApi.GetAsync(path), "this host listens beyond loopback, so every request needs the API token");
            var request = WebGrid.Authorized(HttpMethod.Get, path);
            Assert.NotEqual(HttpStatusCode.Unauthorized, (await web.RemoteApi.SendAsync(request)).StatusCode);
        }
        var sweeps = await web.RemoteApi.SendAsync(WebGrid.Authorized(HttpMethod.Get, "/api/sweeps"));
        Assert.Equal(HttpStatusCode.OK, sweeps.StatusCode);

        // The dashboard's files (the same code for everyone, no data) load without it, so a browser can open the page, which then
        // asks for the token; writing to them is still refused.
        var root = await web.RemoteApi.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode); // this grid has no built dashboard: / says so, to anyone
        Assert.Equal(DashboardFiles.NotBuilt(web.Settings.StaticRoot), await root.Content.ReadAsStringAsync());
        await AssertRefused(await web.RemoteApi.PostAsync("/", new StringContent("")), "a request that changes state needs the API token");
    }

    private async Task AssertRefused(HttpResponseMessage response, string why)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith(why, detail, StringComparison.Ordinal);
        Assert.Contains($"Send 'Authorization: Bearer TOKEN' with the token from {ApiToken.PathIn(web.StateFolder)}", detail);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_token_is_random_owner_only_and_kept()
    {
        using var temp = new TempFolder();
        var token = ApiToken.LoadOrCreate(temp.Path, out var created);
        Assert.True(created);
        Assert.Equal(43, token.Length); // 32 bytes, base64url
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ApiToken.PathIn(temp.Path)));
        Assert.Equal(token, ApiToken.LoadOrCreate(temp.Path, out created));
        Assert.False(created);

        using var other = new TempFolder();
        Assert.NotEqual(token, ApiToken.LoadOrCreate(other.Path, out _));
        File.SetUnixFileMode(ApiToken.PathIn(other.Path), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        ApiToken.LoadOrCreate(other.Path, out _);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ApiToken.PathIn(other.Path)));
        Assert.True(ApiToken.Matches(token, token));
        Assert.False(ApiToken.Matches(token, token[..^1]));
        Assert.False(ApiToken.Matches(token, null));
    }

    [Fact]
    public void Off_loopback_needs_https_or_allow_insecure_and_every_problem_is_named()
    {
        var problems = new List<string>();
        Assert.Null(new ListenSettings("127.0.0.1", 0).Check(problems));
        Assert.Null(new ListenSettings("::1", 8080).Check(problems));
        Assert.Null(new ListenSettings("localhost", 8080).Check(problems));
        Assert.Empty(problems);
        Assert.True(new ListenSettings("::1", 1).IsLoopback);
        Assert.False(new ListenSettings("0.0.0.0", 1).IsLoopback);

        new ListenSettings("0.0.0.0", 8080).Check(problems);
        Assert.StartsWith("--address 0.0.0.0 is not loopback and HTTPS is off", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Contains("--https-cert", problems[0]);
        Assert.Contains("--allow-insecure", problems[0]);

        problems.Clear();
        Assert.Null(new ListenSettings("0.0.0.0", 8080, AllowInsecure: true).Check(problems));
        Assert.Empty(problems);

        new ListenSettings("my-host", 70000, Certificate: "/no/such/cert.pem").Check(problems);
        Assert.Equal(3, problems.Count);
        Assert.StartsWith("--address 'my-host' is not an IP address", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("--port 70000 is not a port", problems[1], StringComparison.Ordinal);
        Assert.StartsWith("--https-cert '/no/such/cert.pem' does not exist", problems[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_dashboard_the_root_says_so_and_how_to_build_it_and_a_built_one_is_served_as_it_is()
    {
        var response = await web.Api.GetAsync("/");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(DashboardFiles.NotBuilt(web.Settings.StaticRoot), await response.Content.ReadAsStringAsync());
        // The message sends readers to a section that exists.
        Assert.Contains("docs/web.md, section \"Dashboard\"", DashboardFiles.NotBuilt("x"));
        Assert.Contains("\n## Dashboard\n", await File.ReadAllTextAsync(Path.Combine(Browser.Chromium.RepositoryRoot(), "docs", "web.md")));

        using var temp = new TempFolder();
        await File.WriteAllTextAsync(temp.File("index.html"), "<!doctype html><title>built</title>");
        Directory.CreateDirectory(temp.File("assets"));
        await File.WriteAllTextAsync(Path.Combine(temp.File("assets"), "app.js"), "console.log(1)");
        var (app, client) = await WebGrid.StartAsync(web.Settings with { StaticRoot = temp.Path });
        await using (app)
        {
            Assert.Equal("<!doctype html><title>built</title>", await client.GetStringAsync("/"));
            Assert.Equal("console.log(1)", await client.GetStringAsync("/assets/app.js"));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/sweeps")).StatusCode);
        }
    }

    [Fact]
    public async Task The_openapi_document_lists_every_endpoint()
    {
        var document = JsonDocument.Parse(await web.Api.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[]
                 {
                     "/api/sweeps", "/api/sweeps/{id}", "/api/sweeps/{id}/spec", "/api/sweeps/{id}/failures", "/api/sweeps/{id}/checkpoints",
                     "/api/sweeps/{id}/stop", "/api/sweeps/{id}/cancel", "/api/sweeps/{id}/metrics", "/api/sweeps/{id}/results", "/api/sweeps/{id}/curves",
                     "/api/sweeps/{id}/heatmap", "/api/spectra", "/api/sweeps/{id}/maps", "/api/sweeps/{id}/maps/figure.png", "/api/sweeps/{id}/activations",
                     "/api/sweeps/{id}/events", "/api/events",
                 })
            Assert.Contains(path, paths);
        var curves = document.GetProperty("paths").GetProperty("/api/sweeps/{id}/curves").GetProperty("get");
        Assert.Equal(["id", "metric", "along", "layer", "checkpoint", "format"], curves.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        var unknown = await web.Api.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }
}
