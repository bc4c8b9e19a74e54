using System.Net;
using System.Text.Json;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Tests.Grid;

namespace ProbeGrid.Tests.Web;

/// <summary>Server-sent events: a checkpoint that lands and is analysed while a client is connected reaches it, with its numbers; heartbeats keep quiet streams open.</summary>
[Collection(WebGridCollection.Name)]
public class EventStreamTests(WebGrid web)
{
    [Fact]
    public async Task A_checkpoint_analysed_while_connected_arrives_as_an_event_with_its_values()
    {
        // A sweep that follows a training run whose second checkpoint lands only once the client is connected.
        var run = Path.Combine(web.Root, "run");
        var live = Path.Combine(web.Root, "live-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(live);
        File.Copy(Path.Combine(run, "model.json"), Path.Combine(live, "model.json"));
        File.Copy(Path.Combine(run, GridTestRun.CheckpointName(0) + ".pt"), Path.Combine(live, GridTestRun.CheckpointName(0) + ".pt"));
        var spec = GridTestRun.Spec(live, maxEpochs: 3, train: 200) with { Layers = ["layer1", "layer2"], Follow = new FollowSpec(ThinningSpec.Every, 0, 0.5, 0.2) };
        var id = Path.GetFileName(live);
        Assert.True((await web.Client.SubmitAsync(spec, id, web.Root)).Accepted);
        await GridTestRun.WaitUntilAsync(web.Client, id, s => s.Follow!.Analysed == 1);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var response = await web.Api.GetAsync($"/api/sweeps/{id}/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var first = await NextAsync(events, "checkpoint", timeout.Token);
        Assert.Equal(GridTestRun.CheckpointName(0), first.GetProperty("checkpoint").GetProperty("name").GetString());

        // The next checkpoint lands now (moved in whole), and is analysed while the stream is open.
        var landing = Path.Combine(live, "landing.tmp");
        File.Copy(Path.Combine(run, GridTestRun.CheckpointName(1) + ".pt"), landing);
        File.Move(landing, Path.Combine(live, GridTestRun.CheckpointName(1) + ".pt"));
        var second = await NextAsync(events, "checkpoint", timeout.Token);
        Assert.Equal(GridTestRun.CheckpointName(1), second.GetProperty("checkpoint").GetProperty("name").GetString());
        var sdk = (await web.Client.GetResultsAsync(id, MetricNames.ProbeTestError)).Where(v => v.Checkpoint == GridTestRun.CheckpointName(1)).OrderBy(v => v.LayerIndex).ToList();
        Assert.Equal(2, sdk.Count);
        var headline = second.GetProperty("headline").EnumerateArray().Where(v => v.GetProperty("metric").GetString() == MetricNames.ProbeTestError).ToList();
        Assert.Equal(sdk.Select(v => (v.Layer, v.Value)), headline.Select(v => (v.GetProperty("layer").GetString()!, v.GetProperty("value").GetDouble())));

        // Stopped: what is planned finishes and the stream ends with the final status.
        Assert.Equal(HttpStatusCode.OK, (await web.Api.SendAsync(WebGrid.Authorized(HttpMethod.Post, $"/api/sweeps/{id}/stop"))).StatusCode);
        var end = await NextAsync(events, "end", timeout.Token);
        Assert.Equal("completed", end.GetProperty("phase").GetString());
        Assert.Empty((await events.ReadToEndAsync(timeout.Token)).Trim()); // the stream closes after it
    }

    [Fact]
    public async Task A_quiet_stream_gets_heartbeats_and_every_sweeps_status()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await web.Api.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var statuses = new HashSet<string>();
        while (await events.ReadLineAsync(timeout.Token) is { } line && !line.StartsWith(": heartbeat", StringComparison.Ordinal))
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                statuses.Add(JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("sweepId").GetString()!);
        Assert.Superset(new HashSet<string> { WebGrid.Probes, WebGrid.Maps, WebGrid.Spectra }, statuses);
    }

    /// <summary>The data of the next event named <paramref name="name"/>.</summary>
    private static async Task<JsonElement> NextAsync(StreamReader events, string name, CancellationToken ct)
    {
        string? current = null;
        while (await events.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) current = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && current == name) return JsonDocument.Parse(line["data: ".Length..]).RootElement.Clone();
        }
        throw new InvalidOperationException($"the stream ended before a '{name}' event");
    }
}
