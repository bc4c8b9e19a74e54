using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Data;
using TorchSharp;

namespace ProbeGrid.Tests.Training;

/// <summary>Training the Task-n target DNN (disentangler-net) on random-task with MSE, through the same trainer as the classifiers.</summary>
public sealed class RegressionTrainingTests : IDisposable
{
    private readonly TemporaryFolder _data = new();
    private readonly TempFolder _out = new();

    public RegressionTrainingTests() => SyntheticFashionMnistFolder.Write(_data.Path, trainCount: 60, testCount: 12, gzip: false);

    public void Dispose()
    {
        _data.Dispose();
        _out.Dispose();
    }

    private static readonly Dictionary<string, string> Tiny = new() { ["order"] = "1", ["width"] = "0.0625" };

    private DatasetSplits Load() => DatasetCatalog.Load("random-task", new Dictionary<string, string>
    {
        ["root"] = _data.Path, ["n"] = "2", ["trainCount"] = "40", ["validationCount"] = "10", ["testCount"] = "12",
    }, seed: 1);

    [Fact]
    public void Training_a_tiny_target_net_reduces_the_mse_and_records_the_target_shape()
    {
        var data = Load();
        var descriptor = new ModelDescriptor("disentangler-net", Tiny, data.SampleShape, data.ClassCount, 2, "random-task", data.TargetShape);
        using var model = ModelZoo.Create("disentangler-net", Tiny, data.SampleShape, data.ClassCount, 2, data.TargetShape);
        var before = RegressionError.MeanSquaredError(model, data.Train);

        var folder = _out.File("run");
        var options = new TrainingOptions { Steps = 60, BatchSize = 20, LearningRate = 1e-2, CheckpointEverySteps = 30, Seed = 4 };
        var report = ModelTrainer.Train(model, data.Train, options, folder, descriptor, CancellationToken.None);
        var after = RegressionError.MeanSquaredError(model, data.Train);

        Assert.True(report.Completed);
        Assert.True(after < 0.5 * before, $"train MSE {before} → {after}");
        Assert.True(report.LastTrainLoss < before, $"last train loss {report.LastTrainLoss} vs initial MSE {before}");

        // model.json carries the target shape, so a sweep rebuilds the regressor from the folder alone.
        var loaded = ModelDescriptor.TryLoad(folder)!;
        Assert.Equal([64L, 7, 7], loaded.TargetShape!);
        Assert.Equal(descriptor, loaded);
        using var rebuilt = loaded.CreateModel();
        CheckpointFile.Load(rebuilt, Path.Combine(folder, ModelTrainer.CheckpointFileName(60)));
        Assert.Equal(after, RegressionError.MeanSquaredError(rebuilt, data.Train), 6);
    }

    [Fact]
    public void A_classifier_descriptor_leaves_the_target_shape_out_of_model_json()
    {
        var descriptor = new ModelDescriptor("mlp", new Dictionary<string, string>(), [4], 2, 1, "gaussian-sign");
        var folder = _out.File("classifier");
        descriptor.Save(folder);
        Assert.DoesNotContain("targetShape", File.ReadAllText(ModelDescriptor.PathIn(folder)));
        Assert.Null(ModelDescriptor.TryLoad(folder)!.TargetShape);
    }

    [Fact]
    public void The_trainer_refuses_a_classifier_on_regression_data()
    {
        var data = Load();
        var parameters = new Dictionary<string, string> { ["depth"] = "1", ["width"] = "4" };
        using var classifier = ModelZoo.Create("mlp", parameters, data.SampleShape, 10, 1);
        var descriptor = new ModelDescriptor("mlp", parameters, data.SampleShape, 0, 1, "random-task", data.TargetShape);
        var e = Assert.Throws<ArgumentException>(() => ModelTrainer.Train(classifier, data.Train, new TrainingOptions { Steps = 1 }, _out.File("bad"), descriptor, CancellationToken.None));
        Assert.Contains("the model outputs class logits but the training data has regression targets", e.Message);
    }
}
