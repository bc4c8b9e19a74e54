using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using ProbeGrid.Client;
using ProbeGrid.Grains.Planning;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Silo.Hosting;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Grid;
using ProbeGrid.Web;
using ProbeGrid.Web.Hosting;

namespace ProbeGrid.Tests.Web;

/// <summary>
/// The embedded grid `probegrid serve` runs on (a real EmbeddedGrid on a temporary state folder) with three small finished
/// sweeps: linear probes on an MLP's checkpoints ("probes"), the discarding analysis with maps ("maps") and the complexity
/// analysis with spectra ("spectra"); and the API over it in ASP.NET Core's test server, once as on loopback and once as off it.
/// </summary>
public sealed class WebGrid : IAsyncLifetime
{
    public const string Probes = "probes";
    public const string Maps = "maps";
    public const string Spectra = "spectra";
    public const string Token = "test-token-0123456789abcdefghijklmnopqrstuvwxyz";

    private readonly TempFolder temp = new();
    private EmbeddedGrid? grid;
    private WebApplication? loopback;
    private WebApplication? remote;

    public string Root => temp.Path;

    public string StateFolder => Path.Combine(Root, "state");

    public ProbeGridClient Client { get; private set; } = null!;

    /// <summary>The API as on loopback: reads open, writes need <see cref="Token"/>.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>The API as off loopback: everything needs <see cref="Token"/>.</summary>
    public HttpClient RemoteApi { get; private set; } = null!;

    public ApiSettings Settings { get; private set; } = null!;

    public static string MapsSpec => """
        {
          "model": { "architecture": "mnist-convnet", "parameters": { "channels1": 2, "channels2": 4, "hidden": 8 }, "initSeed": 7 },
          "dataset": { "name": "fashion-mnist-canvas", "parameters": { "canvas": 32, "trainCount": 100, "validationCount": 20, "testCount": 10 }, "seed": 3 },
          "layers": ["conv1_pooling", "fc1_postact"],
          "analyses": [ { "kind": "discarding", "parameters": {
            "samples": 1, "maps": 1, "shards": 1, "ru": "sid", "maxRounds": 2, "stepsPerRound": 10, "noiseBatch": 8,
            "normalisingSamples": 32, "evaluationSamples": 32, "decoderSamples": 100, "decoderEpochs": 1, "decoderWidth": 4, "decoderBlocks": 5 } } ]
        }
        """;

    public static string SpectraSpec => """
        {
          "model": { "architecture": "resnet-cifar", "parameters": { "depth": 8, "width": 4 }, "initSeed": 7 },
          "dataset": { "name": "fashion-mnist", "parameters": { "trainCount": 100, "validationCount": 20, "testCount": 50 }, "seed": 3 },
          "layers": ["layer3.out_preact"],
          "analyses": [ { "kind": "complexity", "parameters": { "orders": "1,4", "width": 0.0625, "epochs": 1, "fitSamples": 100, "gameSamples": 20 } } ]
        }
        """;

    public async Task InitializeAsync()
    {
        var run = GridTestRun.WriteCheckpoints(Root, 3);
        var roots = new[] { Root, "/usr/share/datasets" };
        grid = await EmbeddedGrid.StartAsync(new GridSettings(roots, StateFolder, Path.Combine(StateFolder, "cache")) { BaseDirectory = Root }, _ => { }, CancellationToken.None);
        Client = new ProbeGridClient(grid.Client);
        foreach (var (id, spec) in new[] { (Probes, GridTestRun.Spec(run, maxEpochs: 3, train: 200)), (Maps, SweepSpecReader.Parse(MapsSpec)), (Spectra, SweepSpecReader.Parse(SpectraSpec)) })
        {
            var submitted = await Client.SubmitAsync(spec, id, Root);
            Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        }
        foreach (var id in new[] { Probes, Maps, Spectra })
        {
            var status = await GridTestRun.WaitUntilAsync(Client, id, s => s.IsFinished, TimeSpan.FromMinutes(5));
            Assert.True(status.Phase == SweepPhase.Completed, string.Join("; ", (await Client.GetFailuresAsync(id)).Select(f => f.Cause)));
        }

        Settings = new ApiSettings(Client, StateFolder, new DataRoots(roots), Root, Token, OnLoopback: true)
        {
            StaticRoot = Path.Combine(Root, "no-dashboard"),
            EventInterval = TimeSpan.FromMilliseconds(100),
            Heartbeat = TimeSpan.FromMilliseconds(500),
        };
        (loopback, Api) = await StartAsync(Settings);
        (remote, RemoteApi) = await StartAsync(Settings with { OnLoopback = false });
    }

    /// <summary>The API in a test server over <paramref name="settings"/>.</summary>
    public static async Task<(WebApplication App, HttpClient Client)> StartAsync(ApiSettings settings)
    {
        var app = ApiHost.Create(settings, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return (app, app.GetTestClient());
    }

    /// <summary>A request with the bearer token.</summary>
    public static HttpRequestMessage Authorized(HttpMethod method, string uri, string token = Token)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    public async Task DisposeAsync()
    {
        if (loopback is not null) await loopback.DisposeAsync();
        if (remote is not null) await remote.DisposeAsync();
        if (grid is not null) await grid.DisposeAsync();
        temp.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class WebGridCollection : ICollectionFixture<WebGrid>
{
    public const string Name = "web grid";
}
