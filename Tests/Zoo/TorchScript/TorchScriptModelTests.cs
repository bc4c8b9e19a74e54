using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Analysis.Zoo.TorchScript;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo.TorchScript;

/// <summary>
/// Architecture "torchscript" against PyTorch on the same files and inputs: the logits and taps of the documented
/// resnet18 wrapper and of a small network returning a list, gradients, checkpoints by the scripted module's own
/// names, and training mode reaching the module's batch norm and dropout.
/// </summary>
[Collection(TorchScriptCollection.Name)]
public sealed class TorchScriptModelTests(TorchScriptFixture files)
{
    private const double Relative = 1e-4;
    private static readonly long[] ResNetSample = [3, 32, 32];
    private static readonly long[] TinySample = [3, 8, 8];

    private Dictionary<string, string> ResNet => new() { ["file"] = files.PathOf("resnet18_taps.pt"), ["taps"] = "layer1,layer2,layer3,layer4" };

    private Dictionary<string, string> Tiny => new() { ["file"] = files.PathOf("tiny.pt"), ["taps"] = "conv, pooled" };

    [Fact]
    public void The_documented_resnet18_gives_PyTorchs_logits_and_taps()
    {
        using var scope = NewDisposeScope();
        var expected = files.Expected("resnet18_expected.safetensors");
        using var model = ModelZoo.Create("torchscript", ResNet, ResNetSample, classCount: 10, seed: 0);
        model.eval();
        var taps = new Dictionary<string, Tensor>();
        using var noGrad = no_grad();
        var logits = model.Forward(expected["input"], (tap, activation) => taps[tap] = activation.clone());

        Assert.Equal(["input", "layer1", "layer2", "layer3", "layer4", "logits"], model.TapNames);
        Assert.Equal(model.TapNames, taps.Keys);
        AssertClose(expected["logits"], logits, "logits");
        AssertClose(expected["logits"], taps["logits"], "logits tap");
        foreach (var tap in new[] { "layer1", "layer2", "layer3", "layer4" })
            AssertClose(expected[tap], taps[tap], tap);
        Assert.True(taps["input"].allclose(expected["input"], rtol: 0, atol: 0));
    }

    [Fact]
    public void Tap_shapes_from_the_dry_run_are_what_forward_reports()
    {
        using var scope = NewDisposeScope();
        var declared = ModelZoo.TapShapes("torchscript", ResNet, ResNetSample, 10);
        using var model = ModelZoo.Create("torchscript", ResNet, ResNetSample, 10, seed: 0);
        var measured = model.TapShapes(ResNetSample);

        Assert.Equal(model.TapNames, declared.Keys);
        Assert.Equal([10L], declared["logits"]);
        Assert.Equal([64L, 8, 8], declared["layer1"]);
        Assert.Equal([512L, 1, 1], declared["layer4"]);
        foreach (var tap in model.TapNames)
            Assert.Equal(declared[tap], measured[tap]);
    }

    [Fact]
    public void A_list_returning_network_gives_PyTorchs_outputs_in_eval_mode()
    {
        using var scope = NewDisposeScope();
        var expected = files.Expected("tiny_expected.safetensors");
        using var model = ModelZoo.Create("torchscript", Tiny, TinySample, classCount: 5, seed: 0);
        model.eval();
        var taps = new Dictionary<string, Tensor>();
        using var noGrad = no_grad();
        var logits = model.Forward(expected["input"], (tap, activation) => taps[tap] = activation.clone());

        Assert.Equal(["input", "conv", "pooled", "logits"], model.TapNames);
        AssertClose(expected["logits"], logits, "logits");
        AssertClose(expected["conv"], taps["conv"], "conv");
        AssertClose(expected["pooled"], taps["pooled"], "pooled");
    }

    [Fact]
    public void Gradients_through_the_scripted_module_are_PyTorchs()
    {
        using var scope = NewDisposeScope();
        var expected = files.Expected("tiny_expected.safetensors");
        using var model = ModelZoo.Create("torchscript", Tiny, TinySample, 5, seed: 0);
        model.eval(); // no dropout: PyTorch's gradients were taken in eval mode
        var loss = model.TrainingLoss(expected["input"], expected["labels"]);
        loss.backward();

        AssertClose(expected["loss"], loss.reshape(1), "loss");
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var name in new[] { "conv.weight", "fc.weight", "bn.weight" })
            AssertClose(expected[$"grad.{name}"], parameters[name].grad!, $"gradient of {name}");
    }

    [Fact]
    public void The_state_is_the_scripted_modules_under_its_own_names()
    {
        using var resnet = ModelZoo.Create("torchscript", ResNet, ResNetSample, 10, seed: 0);
        var names = resnet.state_dict().Keys.ToList();
        Assert.Equal(122, names.Count); // torchvision resnet18: 62 parameters, 60 batch-norm buffers
        Assert.Contains("conv1.weight", names);
        Assert.Contains("layer1.0.bn1.running_mean", names);
        Assert.Contains("layer4.1.bn2.num_batches_tracked", names);
        Assert.Contains("fc.bias", names);
        Assert.Equal(62, resnet.parameters().Count());

        using var tiny = ModelZoo.Create("torchscript", Tiny, TinySample, 5, seed: 0);
        var pytorch = files.Expected("tiny_checkpoint.safetensors"); // PyTorch's state_dict() of the same module
        Assert.Equal(pytorch.Keys.Order(StringComparer.Ordinal), tiny.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_state_dict_of_the_same_module_loads_as_a_checkpoint()
    {
        using var scope = NewDisposeScope();
        var input = files.Expected("tiny_expected.safetensors")["input"];
        var expected = files.Expected("tiny_checkpoint_expected.safetensors")["logits"];
        using var model = ModelZoo.Create("torchscript", Tiny, TinySample, 5, seed: 0);
        var checkpoint = files.PathOf("tiny_checkpoint.safetensors");

        CheckpointFile.Check(model, checkpoint);
        CheckpointFile.Load(model, checkpoint);
        model.eval();
        using var noGrad = no_grad();

        AssertClose(expected, model.Forward(input, null), "logits after loading the checkpoint");
        Assert.Equal(7L, model.state_dict()["bn.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void A_checkpoint_written_from_the_model_round_trips()
    {
        using var scope = NewDisposeScope();
        using var model = ModelZoo.Create("torchscript", Tiny, TinySample, 5, seed: 0);
        CheckpointFile.Load(model, files.PathOf("tiny_checkpoint.safetensors"));
        var path = Path.Combine(files.Folder, $"roundtrip-{Guid.NewGuid():N}.bin");
        CheckpointFile.Save(model, path);
        using var fresh = ModelZoo.Create("torchscript", Tiny, TinySample, 5, seed: 0);
        CheckpointFile.Load(fresh, path);
        ModelState.AssertIdentical(model, fresh);
    }

    [Fact]
    public void Training_mode_reaches_batch_norm_and_dropout_and_a_step_changes_the_weights()
    {
        using var scope = NewDisposeScope();
        var expected = files.Expected("tiny_expected.safetensors");
        using var model = ModelZoo.Create("torchscript", Tiny, TinySample, 5, seed: 0);
        Assert.True(model.training);
        var before = ModelState.Of(model);

        using (no_grad())
        {
            var first = model.Forward(expected["input"], null);
            var second = model.Forward(expected["input"], null);
            Assert.False(first.allclose(second), "dropout should make two training-mode passes differ");
        }
        Assert.Equal(9L, model.state_dict()["bn.num_batches_tracked"].item<long>()); // 7 saved, plus two training passes
        Assert.False(model.state_dict()["bn.running_mean"].allclose(torch.tensor(before["bn.running_mean"])));

        using var optimizer = optim.SGD(model.parameters(), 0.1);
        optimizer.zero_grad();
        model.TrainingLoss(expected["input"], expected["labels"]).backward();
        optimizer.step();
        var after = ModelState.Of(model);
        foreach (var name in new[] { "conv.weight", "conv.bias", "bn.weight", "fc.weight", "fc.bias" })
            Assert.False(before[name].SequenceEqual(after[name]), $"one SGD step should change {name}");

        model.eval();
        using (no_grad())
            AssertClose(model.Forward(expected["input"], null), model.Forward(expected["input"], null), "two eval-mode passes");
    }

    [Fact]
    public void The_seed_does_not_redraw_the_files_weights()
    {
        using var one = ModelZoo.Create("torchscript", Tiny, TinySample, 5, seed: 1);
        using var two = ModelZoo.Create("torchscript", Tiny, TinySample, 5, seed: 2);
        ModelState.AssertIdentical(one, two);
    }

    [Fact]
    public void It_runs_from_input_and_logits_only()
    {
        using var scope = NewDisposeScope();
        var input = files.Expected("tiny_expected.safetensors")["input"];
        using var model = ModelZoo.Create("torchscript", Tiny, TinySample, 5, seed: 0);
        model.eval();
        using var noGrad = no_grad();
        var logits = model.Forward(input, null);

        Assert.Equal(["input", "logits"], model.ForwardFromTaps);
        AssertClose(logits, model.ForwardFrom("input", input), "from input");
        Assert.True(model.ForwardFrom("logits", logits).allclose(logits, rtol: 0, atol: 0));
        var error = Assert.Throws<ArgumentException>(() => model.ForwardFrom("pooled", logits));
        Assert.Contains("cannot run from tap 'pooled'", error.Message);
        Assert.Contains("start at 'input' or 'logits'", error.Message);
    }

    /// <summary>max |actual - expected| within <see cref="Relative"/> of max |expected|: float32 runs of two libraries agree to rounding.</summary>
    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var scale = expected.abs().max().item<float>();
        var error = (actual.detach() - expected).abs().max().item<float>();
        Assert.True(error <= Relative * Math.Max(scale, 1e-6),
            $"{what}: max |difference| {error:G3} is over {Relative:G1} of max |expected| {scale:G3}");
    }
}
