using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Tests.Checkpoints;
using ProbeGrid.Tests.Zoo;
using TorchSharp;

namespace ProbeGrid.Tests.Training;

public class ModelTrainerTests
{
    private static readonly LabeledData Data = SeparableData.Create(count: 256, dimensions: 4, seed: 3);

    private static ModelDescriptor Descriptor(string depth = "2", long seed = 7) =>
        new("mlp", new Dictionary<string, string> { ["depth"] = depth, ["width"] = "16" }, [4], 2, seed, "separable-blobs");

    private static TrainingOptions Options(long steps = 60, string optimizer = TrainingOptions.Adam, double momentum = 0) => new()
    {
        Steps = steps,
        BatchSize = 32,
        Optimizer = optimizer,
        LearningRate = optimizer == TrainingOptions.Sgd ? 0.05 : 1e-2,
        Momentum = momentum,
        CheckpointEverySteps = 20,
        Seed = 11,
    };

    /// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool), so a test can cancel at an exact step.</summary>
    private sealed class CancelAtStep(CancellationTokenSource cts, long step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step >= step)
                cts.Cancel();
        }
    }

    private static double Accuracy(TappedModel model, LabeledData data)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var predicted = model.Forward(data.InputBatch(0, data.Count), null).argmax(1);
        return predicted.eq(data.LabelBatch(0, data.Count)).to(torch.float32).mean().item<float>();
    }

    [Fact]
    public void Training_lowers_the_loss_and_writes_step_zero_periodic_and_final_checkpoints_in_order()
    {
        using var folder = new TempFolder();
        var descriptor = Descriptor();
        using var model = descriptor.CreateModel();
        var untrainedAccuracy = Accuracy(model, Data);

        var report = ModelTrainer.Train(model, Data, Options(steps: 50), folder.Path, descriptor, CancellationToken.None);

        Assert.True(report.Completed);
        Assert.False(report.Cancelled);
        Assert.False(report.Resumed);
        Assert.Equal(50, report.FinalStep);
        var index = CheckpointIndex.TryLoad(folder.Path)!.Entries;
        Assert.Equal([0L, 20, 40, 50], index.Select(e => e.Step));
        Assert.Equal(["step-0000000.pt", "step-0000020.pt", "step-0000040.pt", "step-0000050.pt"], index.Select(e => e.File));
        Assert.Equal(index.Select(e => e.Step), report.CheckpointsWritten.Select(e => e.Step));
        Assert.Null(index[0].TrainLoss);
        Assert.True(index[3].TrainLoss < index[1].TrainLoss, $"loss {index[1].TrainLoss} → {index[3].TrainLoss}");
        Assert.True(index.Zip(index.Skip(1)).All(p => p.First.WrittenAt <= p.Second.WrittenAt));
        Assert.True(Accuracy(model, Data) > 0.95, $"accuracy {Accuracy(model, Data)} (untrained {untrainedAccuracy})");

        // The folder alone rebuilds the network; step 0 holds the untrained weights.
        var rebuilt = ModelDescriptor.TryLoad(folder.Path)!;
        using var untrained = rebuilt.CreateModel();
        using var fromStep0 = rebuilt.CreateModel();
        CheckpointFile.Load(fromStep0, folder.File("step-0000000.pt"));
        ModelState.AssertIdentical(untrained, fromStep0);
        using var fromFinal = rebuilt.CreateModel();
        CheckpointFile.Load(fromFinal, folder.File("step-0000050.pt"));
        ModelState.AssertIdentical(model, fromFinal);

        Assert.Equal(index.Select(e => e.File), CheckpointDiscovery.Find(folder.Path).Select(c => Path.GetFileName(c.Path)));
    }

    [Theory]
    [InlineData(TrainingOptions.Adam, 0.0)]
    [InlineData(TrainingOptions.Sgd, 0.9)]
    [InlineData(TrainingOptions.RmsProp, 0.5)]
    public void An_interrupted_run_continues_to_the_same_final_weights(string optimizer, double momentum)
    {
        using var uninterruptedFolder = new TempFolder();
        using var interruptedFolder = new TempFolder();
        var descriptor = Descriptor();
        var options = Options(steps: 50, optimizer, momentum);

        using var uninterrupted = descriptor.CreateModel();
        ModelTrainer.Train(uninterrupted, Data, options, uninterruptedFolder.Path, descriptor, CancellationToken.None);

        // Cancelled after step 23 (mid-epoch: 8 batches an epoch): stops there with a checkpoint.
        using var cts = new CancellationTokenSource();
        using (var first = descriptor.CreateModel())
        {
            var stopped = ModelTrainer.Train(first, Data, options with { CheckpointEverySteps = 0 }, interruptedFolder.Path, descriptor, cts.Token, new CancelAtStep(cts, 23));
            Assert.True(stopped.Cancelled);
            Assert.Equal(23, stopped.FinalStep);
            Assert.Equal([0L, 23], stopped.CheckpointsWritten.Select(c => c.Step));
        }

        // A fresh process: new model object, same folder.
        using var resumed = descriptor.CreateModel();
        var report = ModelTrainer.Train(resumed, Data, options, interruptedFolder.Path, descriptor, CancellationToken.None);

        Assert.True(report.Resumed);
        Assert.Equal(23, report.StartStep);
        Assert.True(report.Completed);
        Assert.Equal([40L, 50], report.CheckpointsWritten.Select(c => c.Step));
        Assert.Equal([0L, 23, 40, 50], CheckpointIndex.TryLoad(interruptedFolder.Path)!.Entries.Select(e => e.Step));
        // Same weights, same optimizer state and same batches from step 23 on: CPU kernels are
        // deterministic for identical shapes and thread counts, so the result is bit-identical.
        ModelState.AssertIdentical(uninterrupted, resumed);
    }

    [Fact]
    public void Leftovers_of_a_killed_run_after_its_last_complete_checkpoint_are_discarded()
    {
        using var folder = new TempFolder();
        using var referenceFolder = new TempFolder();
        var descriptor = Descriptor();
        var options = Options(steps: 30) with { CheckpointEverySteps = 10 };
        using var reference = descriptor.CreateModel();
        ModelTrainer.Train(reference, Data, options, referenceFolder.Path, descriptor, CancellationToken.None);

        using (var first = descriptor.CreateModel())
            ModelTrainer.Train(first, Data, options with { Steps = 20 }, folder.Path, descriptor, CancellationToken.None);
        // As if killed while writing step 30: a half-written checkpoint and its index entry, but resume.json still says 20.
        File.WriteAllBytes(folder.File("step-0000030.pt"), [1, 2, 3]);
        CheckpointIndex.Append(folder.Path, new CheckpointIndexEntry(30, "step-0000030.pt", DateTime.UtcNow, 0.1));

        using var resumed = descriptor.CreateModel();
        var report = ModelTrainer.Train(resumed, Data, options, folder.Path, descriptor, CancellationToken.None);

        Assert.Equal(20, report.StartStep);
        ModelState.AssertIdentical(reference, resumed);
        using var fromFile = descriptor.CreateModel();
        CheckpointFile.Load(fromFile, folder.File("step-0000030.pt"));
        ModelState.AssertIdentical(reference, fromFile);
    }

    [Fact]
    public void A_finished_run_run_again_does_nothing_and_a_longer_one_extends_it()
    {
        using var folder = new TempFolder();
        var descriptor = Descriptor();
        using var model = descriptor.CreateModel();
        ModelTrainer.Train(model, Data, Options(steps: 20), folder.Path, descriptor, CancellationToken.None);

        using var again = descriptor.CreateModel();
        var noop = ModelTrainer.Train(again, Data, Options(steps: 20), folder.Path, descriptor, CancellationToken.None);
        Assert.Empty(noop.CheckpointsWritten);
        ModelState.AssertIdentical(model, again);

        var longer = ModelTrainer.Train(again, Data, Options(steps: 30), folder.Path, descriptor, CancellationToken.None);
        Assert.Equal([30L], longer.CheckpointsWritten.Select(c => c.Step));
    }

    [Fact]
    public void A_folder_of_another_model_is_refused()
    {
        using var folder = new TempFolder();
        var descriptor = Descriptor(depth: "2");
        using (var model = descriptor.CreateModel())
            ModelTrainer.Train(model, Data, Options(steps: 2), folder.Path, descriptor, CancellationToken.None);

        var other = Descriptor(depth: "3");
        using var otherModel = other.CreateModel();
        var error = Assert.Throws<CheckpointException>(() =>
            ModelTrainer.Train(otherModel, Data, Options(steps: 2), folder.Path, other, CancellationToken.None));
        Assert.Contains(folder.Path, error.Message);
        Assert.Contains("parameter depth: 2 vs 3", error.Message);
    }

    [Fact]
    public void Continuing_with_other_training_options_is_refused()
    {
        using var folder = new TempFolder();
        var descriptor = Descriptor();
        using var model = descriptor.CreateModel();
        ModelTrainer.Train(model, Data, Options(steps: 2), folder.Path, descriptor, CancellationToken.None);
        var error = Assert.Throws<CheckpointException>(() =>
            ModelTrainer.Train(model, Data, Options(steps: 4) with { BatchSize = 16 }, folder.Path, descriptor, CancellationToken.None));
        Assert.Contains("BatchSize: 32 before, 16 now", error.Message);
    }

    [Theory]
    [InlineData("step-100.pt")]
    [InlineData("epoch_3.pth")]
    [InlineData("pytorch_model-300.bin")]
    [InlineData("step-200.safetensors.index.json")]
    public void A_folder_with_foreign_checkpoints_and_no_model_json_is_refused(string file)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File(file), "x");
        var descriptor = Descriptor();
        using var model = descriptor.CreateModel();
        var error = Assert.Throws<CheckpointException>(() =>
            ModelTrainer.Train(model, Data, Options(steps: 2), folder.Path, descriptor, CancellationToken.None));
        Assert.Contains("no model.json", error.Message);
    }

    [Fact]
    public void Wall_clock_checkpoints_are_written_when_due()
    {
        using var folder = new TempFolder();
        var descriptor = Descriptor();
        using var model = descriptor.CreateModel();
        var options = Options(steps: 4) with { CheckpointEverySteps = 0, CheckpointEveryMinutes = 1e-9 };
        ModelTrainer.Train(model, Data, options, folder.Path, descriptor, CancellationToken.None);
        Assert.Equal([0L, 1, 2, 3, 4], CheckpointIndex.TryLoad(folder.Path)!.Entries.Select(e => e.Step));
    }

    [Fact]
    public void Bad_options_and_mismatched_data_are_all_reported()
    {
        using var folder = new TempFolder();
        var descriptor = Descriptor() with { SampleShape = [5] };
        using var model = Descriptor().CreateModel();
        var options = new TrainingOptions { Steps = 0, BatchSize = 0, Optimizer = "lbfgs", LearningRate = -1 };
        var error = Assert.Throws<ArgumentException>(() =>
            ModelTrainer.Train(model, Data, options, folder.Path, descriptor, CancellationToken.None));
        Assert.Contains("TrainingOptions.Steps", error.Message);
        Assert.Contains("TrainingOptions.BatchSize", error.Message);
        Assert.Contains("TrainingOptions.Optimizer = 'lbfgs'", error.Message);
        Assert.Contains("TrainingOptions.LearningRate", error.Message);
        Assert.Contains("sample shape [4] differs from the descriptor's [5]", error.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
