using System.Net;
using System.Text.Json;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Tests.Web;

/// <summary>The sweep endpoints against the SDK's own answers, over a real embedded grid.</summary>
[Collection(WebGridCollection.Name)]
public class SweepEndpointTests(WebGrid web)
{
    [Fact]
    public async Task The_list_and_each_status_are_the_SDKs()
    {
        var list = JsonDocument.Parse(await web.Api.GetStringAsync("/api/sweeps")).RootElement;
        var ids = await web.Client.ListSweepsAsync();
        Assert.Equal(ids.Order(), list.EnumerateArray().Select(s => s.GetProperty("sweepId").GetString()!).Order());

        var status = await web.Client.GetStatusAsync(WebGrid.Probes);
        var answer = JsonDocument.Parse(await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Probes}")).RootElement;
        Assert.Equal("completed", answer.GetProperty("phase").GetString());
        Assert.Equal(status.TotalUnits, answer.GetProperty("totalUnits").GetInt32());
        Assert.Equal(3 * 5, status.TotalUnits);
        Assert.Equal(status.Succeeded, answer.GetProperty("succeeded").GetInt32());
        Assert.Equal(status.SubmittedAt, answer.GetProperty("submittedAt").GetDateTime());
    }

    [Fact]
    public async Task The_spec_is_the_one_the_sweep_runs()
    {
        var spec = await web.Client.GetSpecAsync(WebGrid.Maps);
        var answer = await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Maps}/spec");
        Assert.Equal(JsonSerializer.Serialize(spec, global::ProbeGrid.Web.Responses.ApiJson.Options), answer);
        Assert.Equal("mnist-convnet", JsonDocument.Parse(answer).RootElement.GetProperty("model").GetProperty("architecture").GetString());
    }

    [Fact]
    public async Task Failures_and_checkpoints_are_the_SDKs()
    {
        Assert.Equal("[]", await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Probes}/failures"));
        Assert.Equal("checkpoint,layer,analysis,repeat,attempts,silo,cause\n", await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Probes}/failures?format=csv"));

        var newest = (await web.Client.GetNewestAnalysedAsync(WebGrid.Probes))!;
        var answer = JsonDocument.Parse(await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Probes}/checkpoints")).RootElement;
        var analysed = answer.GetProperty("newestAnalysed");
        Assert.Equal(newest.Checkpoint.Name, analysed.GetProperty("checkpoint").GetProperty("name").GetString());
        var headline = analysed.GetProperty("headline").EnumerateArray().ToList();
        Assert.Equal(newest.Headline.Length, headline.Count);
        for (var i = 0; i < headline.Count; i++) Assert.Equal(newest.Headline[i].Value, headline[i].GetProperty("value").GetDouble());
        Assert.Empty(answer.GetProperty("followed").EnumerateArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("/spec")]
    [InlineData("/failures")]
    [InlineData("/checkpoints")]
    [InlineData("/metrics")]
    [InlineData("/results")]
    [InlineData("/curves?metric=probe.test_error")]
    [InlineData("/heatmap?metric=probe.test_error")]
    [InlineData("/maps")]
    [InlineData("/maps/figure.png?checkpoint=c&sample=0")]
    [InlineData("/activations")]
    [InlineData("/events")]
    public async Task An_unknown_sweep_is_404_problem_details_naming_it(string path)
    {
        var response = await web.Api.GetAsync("/api/sweeps/no-such-sweep" + path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Contains("No sweep 'no-such-sweep' here: GET /api/sweeps lists the sweeps", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Stop_and_cancel_of_an_unknown_sweep_are_404_and_of_a_finished_one_return_its_status()
    {
        var missing = await web.Api.SendAsync(WebGrid.Authorized(HttpMethod.Post, "/api/sweeps/no-such-sweep/cancel"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        foreach (var action in new[] { "stop", "cancel" })
        {
            var response = await web.Api.SendAsync(WebGrid.Authorized(HttpMethod.Post, $"/api/sweeps/{WebGrid.Probes}/{action}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("completed", status.GetProperty("phase").GetString());
        }
    }

    [Fact]
    public async Task A_spec_with_problems_is_400_listing_every_one_and_a_spec_the_planner_refuses_gets_its_problems()
    {
        var request = WebGrid.Authorized(HttpMethod.Post, "/api/sweeps?id=-bad&follow=perhaps");
        request.Content = new StringContent("""{ "model": { "architecture": "nosuch" }, "dataset": { "name": "gaussian-sign" }, "colour": "blue" }""");
        var response = await web.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = Problems(await response.Content.ReadAsStringAsync());
        Assert.Contains("follow 'perhaps' must be true or false", problems);
        Assert.Contains(problems, p => p.StartsWith("id '-bad' is not a sweep id", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("colour is not a known field", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("analyses must be a non-empty array", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("model: unknown architecture 'nosuch'", StringComparison.Ordinal));

        // Readable, but the planner refuses it: relative paths resolve against the base folder (serve's working folder), here the test's root.
        var planned = WebGrid.Authorized(HttpMethod.Post, "/api/sweeps?id=nowhere");
        planned.Content = new StringContent("""{ "model": { "checkpoints": "no-such-run" }, "dataset": { "name": "gaussian-sign" }, "analyses": [ { "kind": "probe" } ] }""");
        var refused = await web.Api.SendAsync(planned);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Sweep nowhere was not started", body);
        Assert.Contains(Problems(body), p => p.Contains(Path.Combine(web.Root, "no-such-run"), StringComparison.Ordinal));
        Assert.Equal(SweepPhase.Unknown, (await web.Client.GetStatusAsync("nowhere")).Phase);
    }

    [Fact]
    public async Task A_submitted_spec_runs_and_submitting_it_again_resumes_it()
    {
        const string spec = """
            { "model": { "checkpoints": "run" }, "dataset": { "name": "gaussian-sign", "parameters": { "dimension": 16, "trainCount": 200, "validationCount": 50, "testCount": 50 }, "seed": 7 },
              "layers": ["layer1"], "analyses": [ { "kind": "probe", "parameters": { "optimizer": "rmsprop", "maxEpochs": 3 } } ] }
            """;
        var request = WebGrid.Authorized(HttpMethod.Post, "/api/sweeps?id=submitted");
        request.Content = new StringContent(spec);
        var response = await web.Api.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        Assert.Equal("/api/sweeps/submitted", response.Headers.Location?.ToString());
        var status = await Grid.GridTestRun.WaitUntilAsync(web.Client, "submitted", s => s.IsFinished);
        Assert.Equal(SweepPhase.Completed, status.Phase);
        Assert.Equal(Path.Combine(web.Root, "run"), (await web.Client.GetSpecAsync("submitted"))!.Model.Checkpoints);

        var again = WebGrid.Authorized(HttpMethod.Post, "/api/sweeps?id=submitted");
        again.Content = new StringContent(spec);
        var resumed = JsonDocument.Parse(await (await web.Api.SendAsync(again)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(status.Succeeded, resumed.GetProperty("succeeded").GetInt32());
    }

    internal static List<string> Problems(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
}
