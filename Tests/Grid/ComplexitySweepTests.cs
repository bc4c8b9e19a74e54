using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using TorchSharp;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// The complexity analysis end to end on the grid, on a seeded untrained CIFAR ResNet-8 and real
/// Fashion-MNIST: disentanglers on the checkpoint's silo, coalition evaluations on Shapley shard grains.
/// </summary>
public class ComplexitySweepTests(ITestOutputHelper output)
{
    private const int GameSamples = 100;

    private static string Spec(int shards) => $$"""
        {
          "model": { "architecture": "resnet-cifar", "parameters": { "depth": 8, "width": 4 }, "initSeed": 7 },
          "dataset": { "name": "fashion-mnist", "parameters": { "trainCount": 300, "validationCount": 50, "testCount": 150 }, "seed": 3 },
          "layers": ["layer2.0", "layer3.out_preact"],
          "analyses": [ { "kind": "complexity", "parameters": {
            "orders": "1,4", "width": 0.0625, "epochs": 3, "fitSamples": 300, "gameSamples": {{GameSamples}}, "shards": {{shards}} } } ]
        }
        """;

    [Fact]
    public async Task Shapley_values_do_not_depend_on_the_sharding_and_the_games_add_up()
    {
        using var temp = new TempFolder();
        await using var grid = await GridCluster.StartAsync(temp.Path, silos: 2);
        Assert.True((await grid.Client.SubmitAsync(SweepSpecReader.Parse(Spec(1)), "one", temp.Path)).Accepted);
        Assert.True((await grid.Client.SubmitAsync(SweepSpecReader.Parse(Spec(3)), "three", temp.Path)).Accepted);
        foreach (var sweep in new[] { "one", "three" })
        {
            var status = await GridTestRun.WaitUntilAsync(grid.Client, sweep, s => s.IsFinished);
            Assert.True(status.Phase == SweepPhase.Completed, string.Join("; ", (await grid.Client.GetFailuresAsync(sweep)).Select(f => f.Cause)));
        }
        var one = await grid.Client.GetResultsAsync("one");
        var three = await grid.Client.GetResultsAsync("three");
        foreach (var v in one.OrderBy(v => v.Layer).ThenBy(v => v.Metric)) output.WriteLine($"{v.Layer,-18} {v.Metric,-36} {v.Value:G6}");

        // Same disentanglers (same seeds), every coalition evaluated whole by one shard: the same numbers, bit for bit.
        Assert.Equal(3, three.Single(v => v.Layer == "layer2.0" && v.Metric == MetricNames.ComplexityShards).Value);
        Assert.Equal(1, one.Single(v => v.Layer == "layer2.0" && v.Metric == MetricNames.ComplexityShards).Value);
        var byKey = three.Where(v => v.Metric != MetricNames.ComplexityShards).ToDictionary(v => (v.Layer, v.Metric), v => v.Value);
        foreach (var v in one.Where(v => v.Metric != MetricNames.ComplexityShards)) Assert.Equal(v.Value, byKey[(v.Layer, v.Metric)]);

        foreach (var layer in new[] { "layer2.0", "layer3.out_preact" })
        {
            double Value(string metric) => one.Single(v => v.Layer == layer && v.Metric == metric).Value;
            string At(string metric, int order) => $"{metric}.l{order}";
            Assert.Equal(4, Value(MetricNames.ComplexityCoalitions));
            // Efficiency: the Shapley values of a game add up to v(all) − v(∅).
            var trainSum = Value(At(MetricNames.ComplexityShapleyTrain, 1)) + Value(At(MetricNames.ComplexityShapleyTrain, 4));
            Assert.Equal(Value(MetricNames.ComplexityRemainderLossTrain) - Value(MetricNames.ComplexityLossTrain), trainSum, 1e-9);
            var gapSum = Value(At(MetricNames.ComplexityShapleyOverfit, 1)) + Value(At(MetricNames.ComplexityShapleyOverfit, 4));
            var gapAll = Value(MetricNames.ComplexityLossTest) - Value(MetricNames.ComplexityLossTrain);
            var gapNone = Value(MetricNames.ComplexityRemainderLossTest) - Value(MetricNames.ComplexityRemainderLossTrain);
            Assert.Equal(gapAll - gapNone, gapSum, 1e-9);
            Assert.All(new[] { 1, 4 }, order => Assert.True(Value(At(MetricNames.ComplexitySignificance, order)) >= 0));
            Assert.Equal(0, Value(At(MetricNames.ComplexityShapleyTrainError, 1)));
        }

        // The coalition of every component is the feature itself: its loss is the network's own loss on those samples.
        var data = DatasetCatalog.Load(DatasetCatalog.FashionMnistName, SweepSpecReader.Parse(Spec(1)).Dataset.Parameters, seed: 3);
        using var model = ModelZoo.Create("resnet-cifar", new Dictionary<string, string> { ["depth"] = "8", ["width"] = "4" }, data.SampleShape, data.ClassCount, seed: 7);
        model.eval();
        using var noGrad = torch.no_grad();
        using var logits = model.Forward(data.Train.InputBatch(0, GameSamples), null);
        using var loss = TappedModel.Objective(logits, data.Train.LabelBatch(0, GameSamples));
        Assert.Equal(loss.item<float>(), one.Single(v => v.Layer == "layer3.out_preact" && v.Metric == MetricNames.ComplexityLossTrain).Value, 1e-4);
    }

    [Fact]
    public async Task Peers_named_in_the_spec_give_each_order_its_reliability()
    {
        using var temp = new TempFolder();
        var data = DatasetCatalog.Load(DatasetCatalog.FashionMnistName, SweepSpecReader.Parse(Spec(1)).Dataset.Parameters, seed: 3);
        // One peer is the analysed network's own weights (no model.json: the sweep's network); the other a
        // ResNet-14 described by its folder's model.json, whose last block has the same 7x7 map.
        var same = Path.Combine(temp.Path, "peers", "same", "net.pt");
        var deeper = Path.Combine(temp.Path, "peers", "deeper", "net.pt");
        Directory.CreateDirectory(Path.GetDirectoryName(same)!);
        using (var model = ModelZoo.Create("resnet-cifar", new Dictionary<string, string> { ["depth"] = "8", ["width"] = "4" }, data.SampleShape, data.ClassCount, seed: 7))
            Analysis.Checkpoints.CheckpointFile.Save(model, same);
        var descriptor = new Analysis.Checkpoints.ModelDescriptor("resnet-cifar", new Dictionary<string, string> { ["depth"] = "14", ["width"] = "4" }, data.SampleShape, data.ClassCount, 9, DatasetCatalog.FashionMnistName);
        descriptor.Save(Path.GetDirectoryName(deeper)!);
        using (var model = descriptor.CreateModel()) Analysis.Checkpoints.CheckpointFile.Save(model, deeper);

        var spec = SweepSpecReader.Parse(Spec(2).Replace("\"shards\": 2", $"\"shards\": 2, \"peers\": \"peers/same/net.pt, peers/deeper/net.pt\", \"cycleEpochs\": 2"));
        await using var grid = await GridCluster.StartAsync(temp.Path);
        Assert.True((await grid.Client.SubmitAsync(spec, "reliable", temp.Path)).Accepted);
        var status = await GridTestRun.WaitUntilAsync(grid.Client, "reliable", s => s.IsFinished);
        Assert.True(status.Phase == SweepPhase.Completed, string.Join("; ", (await grid.Client.GetFailuresAsync("reliable")).Select(f => f.Cause)));

        var results = await grid.Client.GetResultsAsync("reliable");
        foreach (var v in results.Where(v => v.Metric.StartsWith(MetricNames.ComplexityReliability, StringComparison.Ordinal)))
            output.WriteLine($"{v.Layer,-18} {v.Metric,-28} {v.Value:G6}");
        foreach (var layer in new[] { "layer2.0", "layer3.out_preact" })
            foreach (var order in new[] { 1, 4 })
            {
                var rho = results.Single(v => v.Layer == layer && v.Metric == $"{MetricNames.ComplexityReliability}.l{order}").Value;
                // A share of Φ^(l)'s variance: positive, and not far above 1 (the two nets are trained apart).
                Assert.InRange(rho, 1e-6, 2);
            }
    }
}
