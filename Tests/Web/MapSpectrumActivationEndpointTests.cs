using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Client.Export;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.Tests.Grid;

namespace ProbeGrid.Tests.Web;

/// <summary>Maps (JSON and PNG), spectra and the activations export against the SDK, the plotter's sizes and the data set itself.</summary>
[Collection(WebGridCollection.Name)]
public class MapSpectrumActivationEndpointTests(WebGrid web)
{
    [Fact]
    public async Task Maps_are_the_SDKs_with_the_inputs_beside_them()
    {
        var sdk = await web.Client.GetMapsAsync(WebGrid.Maps);
        var answer = JsonSerializer.Deserialize<PixelMap[]>(await web.Api.GetStringAsync($"/api/sweeps/{WebGrid.Maps}/maps?layer=fc1_postact&kind=sid"), JsonExport.Options)!;
        var expected = sdk.Where(m => m.Layer == "fc1_postact" && m.Kind is PixelMap.SidKind or PixelMap.InputKind).ToList();
        Assert.Equal(2, expected.Count);
        Assert.Equal(expected.Count, answer.Length);
        foreach (var (e, a) in expected.Zip(answer))
        {
            Assert.Equal((e.Checkpoint, e.Layer, e.Kind, e.Sample, e.Height, e.Width), (a.Checkpoint, a.Layer, a.Kind, a.Sample, a.Height, a.Width));
            Assert.Equal(e.Values.ToArray(), a.Values.ToArray());
        }
        Assert.Equal(32 * 32, answer[0].Values.Length);
    }

    [Fact]
    public async Task A_map_figure_is_a_png_with_the_input_and_every_layer()
    {
        var checkpoint = (await web.Client.GetMapsAsync(WebGrid.Maps))[0].Checkpoint;
        var response = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Maps}/maps/figure.png?checkpoint={checkpoint}&sample=0&kind=ru");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        // IHDR: width and height, big-endian, at bytes 16 and 20: the input panel and one per layer.
        Assert.Equal(PixelMapPlotter.PanelWidth * 3, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(PixelMapPlotter.PanelHeight, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Fact]
    public async Task Bad_map_filters_are_400_listing_every_problem()
    {
        var response = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Maps}/maps?kind=xx&sample=abc&layer=nope");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["sample 'abc' must be a whole number of at least 0", "kind 'xx' must be sid or ru"], SweepEndpointTests.Problems(await response.Content.ReadAsStringAsync()));

        var unknown = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Maps}/maps?layer=nope&sample=7");
        Assert.Equal([
            $"layer 'nope': sweep '{WebGrid.Maps}' has no maps there; it has maps for conv1_pooling, fc1_postact",
            $"sample '7': sweep '{WebGrid.Maps}' has no maps there; it has maps for 0 (the discarding parameter `maps` sets how many samples keep maps)",
        ], SweepEndpointTests.Problems(await unknown.Content.ReadAsStringAsync()));

        var figure = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Maps}/maps/figure.png?repeat=-1");
        Assert.Equal(3, SweepEndpointTests.Problems(await figure.Content.ReadAsStringAsync()).Count);

        var none = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Probes}/maps");
        Assert.StartsWith($"sweep '{WebGrid.Probes}' has no per-pixel maps (yet)", Assert.Single(SweepEndpointTests.Problems(await none.Content.ReadAsStringAsync())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spectra_are_the_SDKs_values_as_a_curve_and_as_csv()
    {
        var values = (await web.Client.GetResultsAsync(WebGrid.Spectra)).Where(v => v.Metric.StartsWith(MetricNames.ComplexitySignificance + ".l", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, values.Count);
        var expected = SpectrumBuilder.Build(values, MetricNames.ComplexitySignificance, WebGrid.Spectra);
        var curve = JsonSerializer.Deserialize<Curve>(await web.Api.GetStringAsync($"/api/spectra?sweep={WebGrid.Spectra}"), JsonExport.Options)!;
        Assert.Equal(CurveAxis.Order, curve.Along);
        Assert.Equal(expected.Series.Single().Name, curve.Series.Single().Name);
        Assert.Equal(expected.Series.Single().Points.Select(p => p.ToString()), curve.Series.Single().Points.Select(p => p.ToString()));
        Assert.Equal([1.0, 4.0], curve.Series.Single().Points.Select(p => p.X));

        var csv = await web.Api.GetStringAsync($"/api/spectra?sweep={WebGrid.Spectra}&format=csv");
        var writer = new StringWriter { NewLine = "\n" };
        MetricCsv.WriteWithSweeps(writer, values.Select(v => (WebGrid.Spectra, v)));
        Assert.Equal(writer.ToString(), csv);

        var bad = await web.Api.GetAsync($"/api/spectra?sweep=nope&sweep={WebGrid.Probes}&checkpoint=x&all-checkpoints=true");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problems = SweepEndpointTests.Problems(await bad.Content.ReadAsStringAsync());
        Assert.Equal(3, problems.Count);
        Assert.Equal("give checkpoint or all-checkpoints, not both", problems[0]);
        Assert.StartsWith("no sweep 'nope'", problems[1], StringComparison.Ordinal);
        Assert.StartsWith($"sweep '{WebGrid.Probes}' has no 'complexity.significance.l<order>' values yet", problems[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activations_export_as_a_zip_of_npy_files_holding_the_data()
    {
        var checkpoint = GridTestRun.CheckpointName(1);
        var response = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Probes}/activations?checkpoint={checkpoint}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await response.Content.ReadAsStreamAsync());
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var split in new[] { "train", "validation", "test" })
        foreach (var file in new[] { "input", "layer1", "layer2", "layer3", "logits", "labels" })
            Assert.Contains($"{split}/{file}.npy", names);

        // The input tap, flattened, is the test split itself; the labels are its labels.
        var spec = (await web.Client.GetSpecAsync(WebGrid.Probes))!;
        var data = DatasetCatalog.Load(spec.Dataset.Name, spec.Dataset.Parameters, spec.Dataset.Seed).Test;
        var input = Npy(zip.GetEntry("test/input.npy")!);
        Assert.Equal(data.Inputs.Length * 4, input.Length);
        Assert.Equal(data.Inputs, Enumerable.Range(0, data.Inputs.Length).Select(i => BinaryPrimitives.ReadSingleLittleEndian(input.AsSpan(4 * i))));
        var labels = Npy(zip.GetEntry("test/labels.npy")!);
        Assert.Equal(data.Labels, Enumerable.Range(0, data.Labels.Length).Select(i => BinaryPrimitives.ReadInt64LittleEndian(labels.AsSpan(8 * i))));

        var bad = await web.Api.GetAsync($"/api/sweeps/{WebGrid.Probes}/activations?checkpoint=nope&repeat=3");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problems = SweepEndpointTests.Problems(await bad.Content.ReadAsStringAsync());
        Assert.Equal("repeat '3' is not in the sweep: it has repeats 0 to 0", problems[0]);
        Assert.StartsWith("checkpoint 'nope' is not in the sweep; its checkpoints are step-", problems[1], StringComparison.Ordinal);
    }

    /// <summary>The data of a version 1 .npy file (after its header).</summary>
    private static byte[] Npy(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.ToArray();
        Assert.Equal(1, bytes[6]);
        return bytes[(10 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)))..];
    }
}
