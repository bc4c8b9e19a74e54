using System.Globalization;
using System.Net;
using System.Text.Json;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Tests.Cli;

namespace ProbeGrid.Tests.Web;

/// <summary>Metrics, values, curves and the heatmap against the SDK's own answers, and the CSV against `probegrid curves`.</summary>
[Collection(WebGridCollection.Name)]
public class ResultEndpointTests(WebGrid web)
{
    private const string Metric = MetricNames.ProbeTestError;

    [Fact]
    public async Task Metrics_list_every_metric_with_its_family_and_counts()
    {
        var values = await web.Client.GetResultsAsync(WebGrid.Probes);
        var answer = JsonDocument.Parse(await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Probes}/metrics")).RootElement.EnumerateArray().ToList();
        Assert.Equal(values.Select(v => v.Metric).Distinct().Order(StringComparer.Ordinal), answer.Select(m => m.GetProperty("metric").GetString()));
        var error = answer.Single(m => m.GetProperty("metric").GetString() == Metric);
        Assert.Equal("probe", error.GetProperty("family").GetString());
        Assert.Equal(15, error.GetProperty("values").GetInt32());
        Assert.Equal(3, error.GetProperty("checkpoints").GetInt32());
        Assert.Equal(5, error.GetProperty("layers").GetInt32());
    }

    [Fact]
    public async Task Results_are_the_SDKs_values_filtered_in_json_and_csv()
    {
        var values = await web.Client.GetResultsAsync(WebGrid.Probes);
        var json = JsonSerializer.Deserialize<MetricValue[]>(await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Probes}/results"), JsonExport.Options)!;
        Assert.Equal(values, json);

        var checkpoint = Grid.GridTestRun.CheckpointName(1);
        var filtered = await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Probes}/results?family=probe&layer=layer1&layer=layer2&checkpoint={checkpoint}&format=csv");
        var expected = new StringWriter { NewLine = "\n" };
        MetricCsv.Write(expected, values.Where(v => v.Metric.StartsWith("probe.", StringComparison.Ordinal) && v.Layer is "layer1" or "layer2" && v.Checkpoint == checkpoint));
        Assert.Equal(expected.ToString(), filtered);
        Assert.Equal(2 * values.Count(v => v.Layer == "layer1" && v.Checkpoint == checkpoint), filtered.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);

        // Accept: text/csv chooses CSV too; one metric only.
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sweeps/{WebGrid.Probes}/results?metric={Metric}");
        request.Headers.Accept.ParseAdd("text/csv");
        var response = await web.Api.SendAsync(request);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(16, (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Curves_along_layers_and_checkpoints_are_the_SDKs()
    {
        foreach (var along in new[] { CurveAxis.Layer, CurveAxis.Checkpoint })
        {
            var sdk = await web.Client.GetCurveAsync(WebGrid.Probes, new CurveQuery(Metric, along, ["layer1", "logits"]));
            var answer = JsonSerializer.Deserialize<Curve>(
                await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Probes}/curves?metric={Metric}&along={along.ToString().ToLowerInvariant()}&layer=layer1&layer=logits"),
                JsonExport.Options)!;
            Assert.Equal(along, answer.Along);
            Assert.Equal(sdk.Series.Length, answer.Series.Length);
            Assert.Equal(along == CurveAxis.Layer ? 3 : 2, answer.Series.Length);
            for (var s = 0; s < sdk.Series.Length; s++)
            {
                Assert.Equal(sdk.Series[s].Name, answer.Series[s].Name);
                Assert.Equal(sdk.Series[s].Points.Select(p => p.ToString()), answer.Series[s].Points.Select(p => p.ToString()));
            }
        }
    }

    [Fact]
    public async Task Curves_as_csv_are_what_probegrid_curves_prints()
    {
        var api = await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Probes}/curves?metric={Metric}&format=csv&layer=layer2");

        // The CLI on a copy of the state folder (the fixture's grid holds the folder's lock), the sweep being finished.
        var copy = Path.Combine(web.Root, "state-copy-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(web.StateFolder, "grid.db*")) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var (code, output, errors) = CliProcess.Run(web.Root, TimeSpan.FromMinutes(2), "curves", WebGrid.Probes, "--metric", Metric, "--layer", "layer2", "--state", copy);
        Assert.True(code == 0, errors);
        Assert.Equal(output.ReplaceLineEndings("\n").TrimEnd('\n') + "\n", api);
        Assert.Equal(1 + 3, api.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task The_heatmap_is_the_checkpoint_by_layer_matrix_of_means()
    {
        var values = (await web.Client.GetResultsAsync(WebGrid.Probes, Metric)).ToList();
        var answer = JsonDocument.Parse(await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Probes}/heatmap?metric={Metric}")).RootElement;
        var checkpoints = answer.GetProperty("checkpoints").EnumerateArray().Select(c => c.GetString()!).ToList();
        var layers = answer.GetProperty("layers").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal([.. Enumerable.Range(0, 3).Select(Grid.GridTestRun.CheckpointName)], checkpoints);
        Assert.Equal(["input", "layer1", "layer2", "layer3", "logits"], layers);
        Assert.Equal([0L, 10L, 20L], answer.GetProperty("steps").EnumerateArray().Select(s => s.GetInt64()));
        var rows = answer.GetProperty("values").EnumerateArray().ToList();
        for (var i = 0; i < checkpoints.Count; i++)
        for (var j = 0; j < layers.Count; j++)
            Assert.Equal(values.Single(v => v.Checkpoint == checkpoints[i] && v.Layer == layers[j]).Value, rows[i][j].GetDouble());
    }

    [Fact]
    public async Task Bad_parameters_are_400_listing_every_problem()
    {
        var response = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Probes}/curves?along=sideways&format=xml");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problems = SweepEndpointTests.Problems(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, problems.Count);
        Assert.StartsWith("metric is missing", problems[0], StringComparison.Ordinal);
        Assert.Equal("along 'sideways' must be layer or checkpoint", problems[1]);
        Assert.StartsWith("format 'xml' must be json, csv", problems[2], StringComparison.Ordinal);

        var unknown = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Probes}/curves?metric=probe.no_such&layer=layer1");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = Assert.Single(SweepEndpointTests.Problems(await unknown.Content.ReadAsStringAsync()));
        Assert.StartsWith($"Sweep {WebGrid.Probes} has no values of 'probe.no_such' for those layers/checkpoints; its metrics so far: ", problem, StringComparison.Ordinal);
        Assert.Contains(Metric, problem);

        var heatmap = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Probes}/heatmap");
        Assert.StartsWith("metric is missing", Assert.Single(SweepEndpointTests.Problems(await heatmap.Content.ReadAsStringAsync())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tables_are_streamed_without_a_content_length()
    {
        foreach (var path in new[] { $"/results", $"/results?format=csv", $"/curves?metric={Metric}", $"/curves?metric={Metric}&format=csv" })
        {
            using var response = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Probes}{path}", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.Content.Headers.ContentLength);
        }
    }

    internal static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
