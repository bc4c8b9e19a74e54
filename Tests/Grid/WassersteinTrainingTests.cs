using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Training;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using ProbeGrid.Tests.Checkpoints;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.Grid;

/// <summary>
/// The Wasserstein paper's single-layer finding (Algorithm 2, Theorem 2) on a small model, multi-label,
/// end to end on the grid: for a layer trained with a loss (the logits, under binary cross-entropy), the
/// W-distance between its predicted label distribution and the target falls over training.
/// </summary>
public class WassersteinTrainingTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> Mosaics = new()
    {
        ["itemSize"] = "14", ["trainCount"] = "512", ["validationCount"] = "128", ["testCount"] = "256",
    };

    [Fact]
    public async Task The_w_distance_at_the_logits_falls_from_the_untrained_to_the_trained_checkpoint()
    {
        using var temp = new TempFolder();
        var run = temp.File("run");
        var data = DatasetCatalog.Load(DatasetCatalog.FashionMnistMosaicName, Mosaics, seed: 3);
        var descriptor = new ModelDescriptor("resnet18-small", new Dictionary<string, string> { ["width"] = "4" }, data.SampleShape, data.ClassCount, 5, DatasetCatalog.FashionMnistMosaicName);
        using (var model = descriptor.CreateModel())
            ModelTrainer.Train(model, data.Train, new TrainingOptions
            {
                Steps = 80, BatchSize = 32, Optimizer = TrainingOptions.Sgd, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 1e-4,
                CheckpointEverySteps = 80, Seed = 1,
            }, run, descriptor, CancellationToken.None);

        var spec = SweepSpecReader.Parse($$"""
            {
              "model": { "checkpoints": "run" },
              "dataset": { "name": "fashion-mnist-mosaic", "parameters": { {{string.Join(", ", Mosaics.Select(p => $"\"{p.Key}\": {p.Value}"))}} }, "seed": 3 },
              "layers": ["pool", "logits"],
              "reduction": { "kind": "flatten" },
              "analyses": [ { "kind": "wasserstein", "parameters": { "learningRate": 0.05, "maxEpochs": 40, "batchSize": 64 } } ]
            }
            """);
        await using var grid = await GridCluster.StartAsync(temp.Path);
        Assert.True((await grid.Client.SubmitAsync(spec, "wtrain", temp.Path)).Accepted);
        var status = await GridTestRun.WaitUntilAsync(grid.Client, "wtrain", s => s.IsFinished);
        Assert.Equal(SweepPhase.Completed, status.Phase);

        var results = await grid.Client.GetResultsAsync("wtrain");
        double Value(long step, string layer, string metric) => results.Single(v => v.Step == step && v.Layer == layer && v.Metric == metric).Value;
        foreach (var step in new long[] { 0, 80 })
            output.WriteLine($"step {step}: W logits {Value(step, "logits", MetricNames.WDistanceMean):F3}, pool {Value(step, "pool", MetricNames.WDistanceMean):F3}; " +
                             $"mAP logits {Value(step, "logits", MetricNames.ClassifierMap):F3}; early exit {Value(step, "logits", MetricNames.EarlyExitAccuracy):F3} vs last layer {Value(step, "logits", MetricNames.BaselineAccuracy):F3}");

        Assert.True(Value(80, "logits", MetricNames.WDistanceMean) < Value(0, "logits", MetricNames.WDistanceMean) - 0.05);
        Assert.True(Value(80, "logits", MetricNames.ClassifierMap) > Value(0, "logits", MetricNames.ClassifierMap) + 0.05);
        // Every mosaic holds at least one item, so every test sample has a target distribution.
        Assert.All(results.Where(v => v.Metric == MetricNames.WDistanceDegenerate), v => Assert.Equal(0, v.Value));
        Assert.All(results.Where(v => v.Metric == MetricNames.WDistanceSamples), v => Assert.Equal(256, v.Value));
    }
}
