using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Web.Hosting;
using ProbeGrid.Web.Responses;

namespace ProbeGrid.Tests.Web;

/// <summary>
/// The API on real Kestrel on a free loopback port, as `probegrid serve` hosts it: the README's Python example (Debian's python3,
/// urllib and csv) reads a curve into a table equal to the SDK's; a long table goes out in pieces while it is still being written.
/// </summary>
[Collection(WebGridCollection.Name)]
public class LiveServeTests(WebGrid web)
{
    [Fact]
    public async Task The_python_example_reads_a_curve_into_a_table_equal_to_the_SDKs()
    {
        await using var app = ApiHost.Create(web.Settings, builder => ApiHost.ListenOn(builder, new ListenSettings("127.0.0.1", 0), null));
        await app.StartAsync();
        var url = app.Urls.Single();
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);

        var (code, output, errors) = await Python(url, WebGrid.Probes, MetricNames.ProbeTestError);
        Assert.True(code == 0, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("checkpoint,step,input,layer1,layer2,layer3,logits", lines[0]);
        var curve = await web.Client.GetCurveAsync(WebGrid.Probes, new CurveQuery(MetricNames.ProbeTestError, CurveAxis.Layer));
        Assert.Equal(curve.Series.Length, lines.Length - 1);
        for (var i = 0; i < curve.Series.Length; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal(curve.Series[i].Name, cells[0]);
            Assert.Equal(curve.Series[i].Order, long.Parse(cells[1], CultureInfo.InvariantCulture));
            Assert.Equal(curve.Series[i].Points.Select(p => p.Mean), cells[2..].Select(c => double.Parse(c, CultureInfo.InvariantCulture)));
        }

        // A bad request: the problem details reach the notebook, every problem listed.
        var (failed, _, message) = await Python(url, WebGrid.Probes, "probe.no_such");
        Assert.Equal(1, failed);
        Assert.StartsWith("400 The request has problems: Sweep probes has no values of 'probe.no_such'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_table_reaches_the_client_before_it_is_all_written()
    {
        // Rows come from a source that stops after the first 20,000 until the client has read some: a buffered response would never finish.
        var clientRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IEnumerable<MetricValue> Rows()
        {
            for (var i = 0; i < 40_000; i++)
            {
                if (i == 20_000 && !clientRead.Task.Wait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the client saw nothing of the first 20,000 rows");
                yield return new MetricValue("step-1", 1, "layer" + i, i, 0, "probe.test_error", i / 7.0);
            }
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGet("/csv", () => StreamedTable.Csv(Rows()));
        app.MapGet("/json", () => StreamedTable.Json(Rows()));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };
        foreach (var path in new[] { "/csv", "/json" })
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.Null(response.Content.Headers.ContentLength);
            Assert.True(response.Headers.TransferEncodingChunked);
            using var body = new StreamReader(await response.Content.ReadAsStreamAsync());
            var start = new char[24];
            await body.ReadBlockAsync(start);
            Assert.Equal(path == "/csv" ? "checkpoint,step,layer,la" : "[{\"checkpoint\":\"step-1\",", new string(start));
            clientRead.TrySetResult();
            var rest = await body.ReadToEndAsync();
            Assert.Contains("layer39999", rest);
            clientRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    [Fact]
    public async Task With_a_certificate_it_serves_https_and_off_loopback_needs_nothing_more()
    {
        using var temp = new Checkpoints.TempFolder();
        using (var key = System.Security.Cryptography.ECDsa.Create())
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=probegrid-web-test", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            var san = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllTextAsync(temp.File("web.pem"), made.ExportCertificatePem());
            await File.WriteAllTextAsync(temp.File("web-key.pem"), key.ExportPkcs8PrivateKeyPem());
        }
        var problems = new List<string>();
        Assert.NotNull(new ListenSettings("0.0.0.0", 0, temp.File("web.pem"), temp.File("web-key.pem")).Check(problems));
        Assert.Empty(problems);
        var listen = new ListenSettings("127.0.0.1", 0, temp.File("web.pem"), temp.File("web-key.pem"));
        var certificate = listen.Check(problems)!;
        await using var app = ApiHost.Create(web.Settings with { OnLoopback = false }, builder => ApiHost.ListenOn(builder, listen, certificate));
        await app.StartAsync();
        var url = app.Urls.Single();
        Assert.StartsWith("https://127.0.0.1:", url, StringComparison.Ordinal);
        using var handler = new HttpClientHandler
        {
            // Trust exactly the certificate served, as a client given it (or its CA) would.
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var https = new HttpClient(handler) { BaseAddress = new Uri(url) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await https.GetAsync("/api/sweeps")).StatusCode);
        var response = await https.SendAsync(WebGrid.Authorized(HttpMethod.Get, "/api/sweeps"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<(int Code, string Output, string Errors)> Python(string url, string sweep, string metric)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(RepositoryRoot(), "examples", "curve_table.py"), url, sweep, metric }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ProbeGrid.sln"))) return dir.FullName;
        throw new InvalidOperationException("ProbeGrid.sln not found above " + AppContext.BaseDirectory);
    }
}
