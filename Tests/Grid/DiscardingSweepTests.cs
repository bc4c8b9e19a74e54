using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// The information-discarding analysis end to end on the grid, on a seeded untrained small convnet and
/// Fashion-MNIST items on a textured canvas: the RU decoder on the checkpoint's silo, σ learned per
/// sample on discarding shard grains, metrics and maps gathered by the unit.
/// </summary>
public class DiscardingSweepTests(ITestOutputHelper output)
{
    private const int Samples = 3;

    private static string Spec(int shards) => $$"""
        {
          "model": { "architecture": "mnist-convnet", "parameters": { "channels1": 4, "channels2": 8, "hidden": 16 }, "initSeed": 7 },
          "dataset": { "name": "fashion-mnist-canvas", "parameters": { "canvas": 32, "trainCount": 200, "validationCount": 50, "testCount": 20 }, "seed": 3 },
          "layers": ["conv1_pooling", "fc1_postact"],
          "analyses": [ { "kind": "discarding", "parameters": {
            "samples": {{Samples}}, "shards": {{shards}}, "maps": 2, "maxRounds": 5, "stepsPerRound": 60,
            "normalisingSamples": 256, "evaluationSamples": 256, "decoderSamples": 200, "decoderEpochs": 2, "decoderWidth": 8, "decoderBlocks": 5 } } ]
        }
        """;

    [Fact]
    public async Task Samples_are_measured_the_same_however_they_are_sharded_and_the_maps_add_up_to_the_totals()
    {
        using var temp = new TempFolder();
        await using var grid = await GridCluster.StartAsync(temp.Path, silos: 2);
        foreach (var (id, shards) in new[] { ("one", 1), ("two", 2) })
        {
            var submitted = await grid.Client.SubmitAsync(SweepSpecReader.Parse(Spec(shards)), id, temp.Path);
            Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
        }
        foreach (var sweep in new[] { "one", "two" })
        {
            var status = await GridTestRun.WaitUntilAsync(grid.Client, sweep, s => s.IsFinished);
            Assert.True(status.Phase == SweepPhase.Completed, string.Join("; ", (await grid.Client.GetFailuresAsync(sweep)).Select(f => f.Cause)));
        }
        var one = await grid.Client.GetResultsAsync("one");
        var two = await grid.Client.GetResultsAsync("two");
        foreach (var v in one.OrderBy(v => v.Layer).ThenBy(v => v.Metric)) output.WriteLine($"{v.Layer,-14} {v.Metric,-24} {v.Value:G6}");

        // Each sample learns from its own seed, whole in one shard: the same numbers, bit for bit.
        Assert.Equal(2, two.Single(v => v.Layer == "fc1_postact" && v.Metric == MetricNames.DiscardingShards).Value);
        var byKey = two.Where(v => v.Metric != MetricNames.DiscardingShards).ToDictionary(v => (v.Layer, v.Metric), v => v.Value);
        foreach (var v in one.Where(v => v.Metric != MetricNames.DiscardingShards)) Assert.Equal(v.Value, byKey[(v.Layer, v.Metric)]);

        var data = DatasetCatalog.Load(DatasetCatalog.FashionMnistCanvasName, SweepSpecReader.Parse(Spec(1)).Dataset.Parameters, seed: 3).Test;
        foreach (var layer in new[] { "conv1_pooling", "fc1_postact" })
        {
            double Value(string metric) => one.Single(v => v.Layer == layer && v.Metric == metric).Value;
            Assert.Equal(Samples, Value(MetricNames.DiscardingSamples));
            Assert.Equal(0, Value(MetricNames.SidUnconverged));
            Assert.InRange(Value(MetricNames.SidRatio), 1.5 * 0.95, 1.5 * 1.05); // the λ search met α δ_f²
            Assert.True(Value(MetricNames.SidTotalStd) > 0);
            Assert.True(Value(MetricNames.RuDecoderMse) > 0);

            // Maps of the first two samples: the input as it is, SID and RU maps whose pixels add up to each sample's totals.
            var maps = await grid.Client.GetMapsAsync("one", new MapQuery(Layers: [layer]));
            Assert.Equal(2 * 3, maps.Length);
            Assert.Equal([0, 1], maps.Select(m => m.Sample).Distinct().Order());
            var input = maps.Single(m => m.Sample == 1 && m.Kind == PixelMap.InputKind);
            Assert.Equal(data.Inputs.AsSpan(data.SampleSize, data.SampleSize).ToArray(), input.Values.ToArray());
            Assert.Equal(data.Labels[1], input.Label);
            foreach (var m in maps) Assert.Equal(32 * 32, m.Values.Length);

            // The concentration metric is the maps' background mean minus their object mean, averaged over samples (here the first two of three).
            var sid = maps.Where(m => m.Kind == PixelMap.SidKind).OrderBy(m => m.Sample).ToList();
            var concentrations = sid.Select(m => Concentration.Of(m.Values.Select(v => (double)v).ToList(), data.ObjectMask(m.Sample))).ToList();
            output.WriteLine($"{layer}: SID of samples 0 and 1 {sid[0].Values.Sum(v => (double)v):F2} {sid[1].Values.Sum(v => (double)v):F2}, concentration {concentrations[0]:F3} {concentrations[1]:F3}");
            Assert.All(sid, m => Assert.True(m.Values.All(float.IsFinite)));
        }

        // One sample's total is the sum of its pixel map: a sweep of one sample reports it as the mean.
        var single = SweepSpecReader.Parse(Spec(1).Replace($"\"samples\": {Samples}", "\"samples\": 1"));
        Assert.True((await grid.Client.SubmitAsync(single, "single", temp.Path)).Accepted);
        Assert.Equal(SweepPhase.Completed, (await GridTestRun.WaitUntilAsync(grid.Client, "single", s => s.IsFinished)).Phase);
        var first = await grid.Client.GetResultsAsync("single");
        foreach (var layer in new[] { "conv1_pooling", "fc1_postact" })
        {
            var maps = await grid.Client.GetMapsAsync("single", new MapQuery(Layers: [layer]));
            double Value(string metric) => first.Single(v => v.Layer == layer && v.Metric == metric).Value;
            Assert.Equal(Value(MetricNames.SidTotal), maps.Single(m => m.Kind == PixelMap.SidKind).Values.Sum(v => (double)v), 1e-2);
            Assert.Equal(Value(MetricNames.RuTotal), maps.Single(m => m.Kind == PixelMap.RuKind).Values.Sum(v => (double)v), 1e-2);
            Assert.Equal(Value(MetricNames.SidConcentration),
                Concentration.Of(maps.Single(m => m.Kind == PixelMap.SidKind).Values.Select(v => (double)v).ToList(), data.ObjectMask(0)), 1e-4);
            Assert.DoesNotContain(first, v => v.Layer == layer && v.Metric == MetricNames.SidTotalStd); // no spread of one sample
        }
    }

    /// <summary>
    /// The paper's coherency check on the grid: conv1's weights and bias divided by 4 and conv2's multiplied by 4
    /// leave the network's function, SID and RU unchanged at every layer, while the gradient saliency of
    /// conv1's feature drops to a quarter (and above conv2 nothing changes at all).
    /// </summary>
    [Fact]
    public async Task Rescaling_neighbouring_layers_leaves_SID_and_RU_unchanged_while_saliency_scales()
    {
        using var temp = new TempFolder();
        var parameters = new Dictionary<string, string> { ["channels1"] = "4", ["channels2"] = "8", ["hidden"] = "16" };
        var descriptor = new Analysis.Checkpoints.ModelDescriptor("mnist-convnet", parameters, [1, 32, 32], 10, 7, DatasetCatalog.FashionMnistCanvasName);
        foreach (var (folder, factor) in new[] { ("original", 1.0), ("rescaled", 4.0) })
        {
            var path = Path.Combine(temp.Path, folder);
            Directory.CreateDirectory(path);
            descriptor.Save(path);
            using var model = descriptor.CreateModel();
            if (factor != 1) CoherencyRescaling.Apply(model, "conv1", "conv2", factor);
            Analysis.Checkpoints.CheckpointFile.Save(model, Path.Combine(path, "step-1.pt"));
        }

        await using var grid = await GridCluster.StartAsync(temp.Path);
        foreach (var folder in new[] { "original", "rescaled" })
        {
            var spec = SweepSpecReader.Parse($$"""
                {
                  "model": { "checkpoints": "{{folder}}" },
                  "dataset": { "name": "fashion-mnist-canvas", "parameters": { "canvas": 32, "trainCount": 100, "validationCount": 20, "testCount": 10 }, "seed": 3 },
                  "layers": ["conv1_pooling", "conv2_preact"],
                  "analyses": [ { "kind": "discarding", "parameters": {
                    "samples": 2, "shards": 2, "maps": 0, "maxRounds": 3, "stepsPerRound": 30, "normalisingSamples": 128, "evaluationSamples": 128,
                    "decoderSamples": 100, "decoderEpochs": 1, "decoderWidth": 4, "decoderBlocks": 3 } } ]
                }
                """);
            var submitted = await grid.Client.SubmitAsync(spec, folder, temp.Path);
            Assert.True(submitted.Accepted, string.Join("; ", submitted.Problems));
            var status = await GridTestRun.WaitUntilAsync(grid.Client, folder, s => s.IsFinished);
            Assert.True(status.Phase == SweepPhase.Completed, string.Join("; ", (await grid.Client.GetFailuresAsync(folder)).Select(f => f.Cause)));
        }
        var original = (await grid.Client.GetResultsAsync("original")).ToDictionary(v => (v.Layer, v.Metric), v => v.Value);
        var rescaled = (await grid.Client.GetResultsAsync("rescaled")).ToDictionary(v => (v.Layer, v.Metric), v => v.Value);
        foreach (var key in original.Keys.OrderBy(k => k))
            output.WriteLine($"{key.Layer,-14} {key.Metric,-24} {original[key],12:G6} {rescaled[key],12:G6}");

        foreach (var layer in new[] { "conv1_pooling", "conv2_preact" })
            foreach (var metric in new[] { MetricNames.SidTotal, MetricNames.SidConcentration, MetricNames.SidRatio, MetricNames.RuTotal, MetricNames.RuConcentration })
                Assert.Equal(original[(layer, metric)], rescaled[(layer, metric)], 1e-6 * Math.Max(1, Math.Abs(original[(layer, metric)])));
        // δ_f² of conv1's feature shrinks by 4² (SID normalises by it); above conv2 nothing differs.
        Assert.Equal(original[("conv1_pooling", MetricNames.SidDeltaF2)] / 16, rescaled[("conv1_pooling", MetricNames.SidDeltaF2)], 1e-6 * original[("conv1_pooling", MetricNames.SidDeltaF2)]);
        Assert.Equal(original[("conv1_pooling", MetricNames.SaliencyMean)] / 4, rescaled[("conv1_pooling", MetricNames.SaliencyMean)], 1e-6 * original[("conv1_pooling", MetricNames.SaliencyMean)]);
        Assert.Equal(original[("conv2_preact", MetricNames.SaliencyMean)], rescaled[("conv2_preact", MetricNames.SaliencyMean)], 1e-5 * original[("conv2_preact", MetricNames.SaliencyMean)]);
    }
}
