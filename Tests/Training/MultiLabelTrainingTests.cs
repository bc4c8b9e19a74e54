using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Training;

public class MultiLabelTrainingTests
{
    /// <summary>Its logits are its input: accuracy cases can be written down directly.</summary>
    private sealed class InputIsLogitsModel : TappedModel
    {
        public InputIsLogitsModel() : base("input-is-logits") => RegisterComponents();

        public override IReadOnlyList<string> TapNames { get; } = ["input", "logits"];

        public override Tensor Forward(Tensor x, TapSink? sink) => x.alias();

        public override Tensor ForwardFrom(string tap, Tensor feature)
        {
            TapIndex(tap); // rejects unknown taps
            return feature.alias();
        }
    }

    [Fact]
    public void Float_targets_get_binary_cross_entropy_and_class_indices_cross_entropy()
    {
        using var scope = torch.NewDisposeScope();
        using var model = new InputIsLogitsModel();
        float[] z = [2f, -1f, 0.5f, -3f, 0f, 1.5f];
        float[] y = [1f, 0f, 1f, 0f, 0f, 1f];
        var logits = torch.tensor(z, [2, 3]);

        // Mean over samples and classes of -(y log σ(z) + (1 - y) log(1 - σ(z))).
        var bce = z.Zip(y, (zi, yi) => -(yi * Math.Log(1 / (1 + Math.Exp(-zi))) + (1 - yi) * Math.Log(1 - 1 / (1 + Math.Exp(-zi))))).Average();
        Assert.Equal(bce, model.TrainingLoss(logits, torch.tensor(y, [2, 3])).item<float>(), 5);

        // Class indices: mean of -log softmax(z)[label].
        long[] labels = [0, 2];
        var ce = Enumerable.Range(0, 2).Select(i =>
        {
            var row = z.Skip(3 * i).Take(3).Select(v => (double)v).ToArray();
            return Math.Log(row.Sum(Math.Exp)) - row[labels[i]];
        }).Average();
        Assert.Equal(ce, model.TrainingLoss(logits, torch.tensor(labels)).item<float>(), 5);
    }

    [Fact]
    public void Mlp_auxiliary_heads_take_multi_hot_targets_too()
    {
        using var scope = torch.NewDisposeScope();
        var parameters = new Dictionary<string, string> { ["depth"] = "3", ["width"] = "4", ["auxHeadEvery"] = "1", ["auxLossWeight"] = "0" };
        using var model = ModelZoo.Create("mlp", parameters, [5], 3, seed: 1);
        var x = ModelState.RandomBatch(2, 4, 5);
        var targets = torch.tensor(new float[] { 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0 }, [4, 3]);
        var expected = nn.functional.binary_cross_entropy_with_logits(model.forward(x), targets).item<float>();
        Assert.Equal(expected, model.TrainingLoss(x, targets).item<float>(), 6);
    }

    [Fact]
    public void Accuracy_is_the_arg_max_class_or_the_exact_label_set_at_one_half()
    {
        using var model = new InputIsLogitsModel();
        model.train();
        var multi = new LabeledData([1, -1, 2, 1, -1, -2, -1, -1, -1, 0.5f, 0.5f, -3], [3], [-1, -1, -1, -1], 3)
        {
            // right (both), wrong (misses class 2), wrong (misses class 1), right.
            LabelSets = [1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0],
        };
        Assert.Equal(0.5, ClassificationAccuracy.Of(model, multi, batchSize: 3));
        Assert.True(model.training);

        var single = new LabeledData([1, 2, 0, 3, 0, 0, 0, 0, 5], [3], [1, 2, 2], 3);
        Assert.Equal(2.0 / 3, ClassificationAccuracy.Of(model, single, batchSize: 2), 12);
    }

    [Fact]
    public void A_tiny_resnet_learns_real_mosaics_with_binary_cross_entropy_and_its_checkpoints_reload()
    {
        var parameters = new Dictionary<string, string> { ["itemSize"] = "14", ["trainCount"] = "256", ["validationCount"] = "64", ["testCount"] = "1" };
        var data = DatasetCatalog.Load("fashion-mnist-mosaic", parameters, seed: 3);
        var descriptor = new ModelDescriptor("resnet18-small", new Dictionary<string, string> { ["width"] = "4" }, data.SampleShape, data.ClassCount, 5, "fashion-mnist-mosaic");
        using var model = descriptor.CreateModel();
        var options = new TrainingOptions
        {
            Steps = 40, BatchSize = 32, Optimizer = TrainingOptions.Sgd, LearningRate = 0.05, Momentum = 0.9, WeightDecay = 1e-4,
            CheckpointEverySteps = 10, Seed = 1,
        };
        using var folder = new TempFolder();

        var report = ModelTrainer.Train(model, data.Train, options, folder.Path, descriptor, CancellationToken.None);

        Assert.True(report.Completed);
        var losses = CheckpointIndex.TryLoad(folder.Path)!.Entries.Skip(1).Select(e => e.TrainLoss!.Value).ToArray();
        Assert.Equal(4, losses.Length);
        Assert.True(losses[^1] < 0.8 * losses[0], $"BCE by 10-step window: {string.Join(", ", losses)}");
        // Predicting each class's prior alone (present in about 23% of mosaics) gives H(0.23) ≈ 0.53.
        Assert.True(losses[^1] < 0.5, $"BCE by 10-step window: {string.Join(", ", losses)}");

        // The last checkpoint, batch norm statistics included, gives a fresh model the same predictions.
        using var reloaded = descriptor.CreateModel();
        CheckpointFile.Load(reloaded, folder.File(ModelTrainer.CheckpointFileName(40)));
        ModelState.AssertIdentical(model, reloaded);
        Assert.Equal(ClassificationAccuracy.Of(model, data.Validation), ClassificationAccuracy.Of(reloaded, data.Validation));
    }

    [Fact]
    public void Weight_decay_is_validated_shrinks_weights_and_must_match_on_resume()
    {
        var error = Assert.Single(new TrainingOptions { Steps = 1, WeightDecay = -1e-4 }.Validate());
        Assert.Contains("TrainingOptions.WeightDecay = -0.0001", error);

        var data = SeparableData.Create(count: 64, dimensions: 4, seed: 3);
        var descriptor = new ModelDescriptor("mlp", new Dictionary<string, string> { ["depth"] = "2", ["width"] = "8" }, [4], 2, 7, "separable-blobs");
        var options = new TrainingOptions { Steps = 5, BatchSize = 16, Optimizer = TrainingOptions.Sgd, LearningRate = 0.1, Momentum = 0.9, Seed = 1 };
        using var plainFolder = new TempFolder();
        using var decayFolder = new TempFolder();
        using var plain = descriptor.CreateModel();
        using var decayed = descriptor.CreateModel();
        ModelTrainer.Train(plain, data, options, plainFolder.Path, descriptor, CancellationToken.None);
        ModelTrainer.Train(decayed, data, options with { WeightDecay = 0.5 }, decayFolder.Path, descriptor, CancellationToken.None);

        static double Norm(TappedModel m) => ModelState.Of(m)["hidden.1.weight"].Sum(w => (double)w * w);
        Assert.True(Norm(decayed) < Norm(plain), $"{Norm(decayed)} vs {Norm(plain)}");

        var resumeError = Assert.Throws<CheckpointException>(() =>
            ModelTrainer.Train(decayed, data, options with { Steps = 6, WeightDecay = 0.1 }, decayFolder.Path, descriptor, CancellationToken.None));
        Assert.Contains("WeightDecay: 0.5 before, 0.1 now", resumeError.Message);

        // A resume.json from before weight decay existed describes a run without it.
        var resumePath = Path.Combine(plainFolder.Path, "resume.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(resumePath))!.AsObject();
        Assert.True(json.Remove("weightDecay"));
        File.WriteAllText(resumePath, json.ToJsonString());
        var continued = ModelTrainer.Train(plain, data, options with { Steps = 6 }, plainFolder.Path, descriptor, CancellationToken.None);
        Assert.True(continued.Resumed);
    }
}
