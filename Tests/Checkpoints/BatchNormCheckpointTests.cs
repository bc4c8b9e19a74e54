using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Tests.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Checkpoints;

/// <summary>
/// Batch norm keeps running statistics outside its parameters: a checkpoint that dropped them
/// would reload a network that computes something else in eval mode.
/// </summary>
public class BatchNormCheckpointTests
{
    private static readonly Dictionary<string, string> Tiny = new() { ["width"] = "2" };

    /// <summary>A few SGD steps in training mode: weights and running statistics move away from their initial values.</summary>
    private static TappedModel TrainedModel(string architecture, long[] sampleShape)
    {
        var model = ModelZoo.Create(architecture, Tiny, sampleShape, 3, seed: 1);
        using var optimizer = torch.optim.SGD(model.parameters(), 0.05, momentum: 0.9);
        model.train();
        for (var step = 0; step < 4; step++)
        {
            using var scope = torch.NewDisposeScope();
            var x = ModelState.RandomBatch(step, [8, .. sampleShape]) * 3 + 1;
            var y = torch.tensor(Enumerable.Range(0, 8).Select(i => (long)((i + step) % 3)).ToArray());
            optimizer.zero_grad();
            model.TrainingLoss(x, y).backward();
            optimizer.step();
        }
        return model;
    }

    [Theory]
    [InlineData("resnet18-small", "step.pt")]
    [InlineData("resnet18-small", "step.safetensors")]
    [InlineData("vgg16-small", "step.pt")]
    [InlineData("resnet-cifar", "step.pt")]
    [InlineData("resnet-cifar", "step.safetensors")]
    public void A_reloaded_model_computes_the_same_eval_outputs(string architecture, string fileName)
    {
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        using var trained = TrainedModel(architecture, [1, 8, 8]);
        var state = trained.state_dict();
        var runningVar = state.First(p => p.Key.EndsWith(".bn.running_var", StringComparison.Ordinal)).Value;
        Assert.False(runningVar.allclose(torch.ones_like(runningVar)), "training should have moved the running variance");
        Assert.Equal(4L, state.First(p => p.Key.EndsWith(".bn.num_batches_tracked", StringComparison.Ordinal)).Value.item<long>());

        CheckpointFile.Save(trained, folder.File(fileName));
        using var reloaded = ModelZoo.Create(architecture, Tiny, [1, 8, 8], 3, seed: 99); // other initial weights
        CheckpointFile.Load(reloaded, folder.File(fileName));

        ModelState.AssertIdentical(trained, reloaded);
        trained.eval();
        reloaded.eval();
        using var noGrad = torch.no_grad();
        var x = ModelState.RandomBatch(42, 5, 1, 8, 8);
        Assert.Equal(ModelState.Values(trained.forward(x)), ModelState.Values(reloaded.forward(x)));
    }

    [Fact]
    public void Extraction_uses_the_running_statistics_and_leaves_them_alone()
    {
        using var scope = torch.NewDisposeScope();
        using var model = TrainedModel("resnet18-small", [1, 8, 8]);
        var before = ModelState.Of(model);
        var inputs = ModelState.Values(ModelState.RandomBatch(7, 6, 1, 8, 8));
        var data = new LabeledData(inputs, [1, 8, 8], new long[6], 3);

        // Batches of 2 and 6 agree only if batch norm uses its running statistics, not the batch's.
        var small = ActivationExtractor.Extract(model, data, ["layer2.1", "logits"], Reduction.Parse("flatten", 0, 0), 2, CancellationToken.None).RequireFinite();
        var whole = ActivationExtractor.Extract(model, data, ["layer2.1", "logits"], Reduction.Parse("flatten", 0, 0), 6, CancellationToken.None).RequireFinite();

        Assert.True(model.training);
        Assert.All(ModelState.Of(model), p => Assert.Equal(before[p.Key], p.Value));
        for (var i = 0; i < small["logits"].Data.Length; i++)
            Assert.Equal(whole["logits"].Data[i], small["logits"].Data[i], 1e-5f);
        model.eval();
        using var noGrad = torch.no_grad();
        var logits = ModelState.Values(model.forward(data.InputBatch(0, 6)));
        for (var i = 0; i < logits.Length; i++)
            Assert.Equal(logits[i], whole["logits"].Data[i], 1e-5f);
    }
}
