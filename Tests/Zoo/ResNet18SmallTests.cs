using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

public class ResNet18SmallTests
{
    private static readonly Dictionary<string, string> Tiny = new() { ["width"] = "4" };

    private static readonly string[] ExpectedTaps =
    [
        "input", "stem", "layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1", "layer4.0", "layer4.1", "pool", "logits",
    ];

    /// <summary>Batch norm in eval mode from its state: (x - running mean) / sqrt(running var + 1e-5) * weight + bias.</summary>
    internal static Tensor ConvBatchNormByHand(Dictionary<string, Tensor> state, string prefix, Tensor x, long stride)
    {
        var weight = state[prefix + ".conv.weight"];
        var conv = nn.functional.conv2d(x, weight, strides: [stride, stride], padding: [weight.shape[2] / 2, weight.shape[3] / 2]);
        static Tensor Channel(Tensor t) => t.view(1, -1, 1, 1);
        return (conv - Channel(state[prefix + ".bn.running_mean"])) / (Channel(state[prefix + ".bn.running_var"]) + 1e-5).sqrt()
               * Channel(state[prefix + ".bn.weight"]) + Channel(state[prefix + ".bn.bias"]);
    }

    /// <summary>Some training-mode forwards, so the running statistics are not the initial 0 and 1.</summary>
    internal static void WarmUpBatchNorm(TappedModel model, long[] batchShape)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        model.train();
        for (var i = 0; i < 3; i++) model.forward(ModelState.RandomBatch(100 + i, batchShape) * 2 + 0.5);
        model.eval();
    }

    [Fact]
    public void Taps_are_stem_eight_blocks_pool_and_logits_with_the_stage_shapes()
    {
        using var model = ModelZoo.Create("resnet18-small", Tiny, [1, 28, 28], 10, seed: 1);
        Assert.Equal(ExpectedTaps, model.TapNames);
        Assert.Equal(ExpectedTaps, ModelZoo.TapNames("resnet18-small", Tiny));

        var shapes = model.TapShapes([1, 28, 28]);
        Assert.Equal(ExpectedTaps, shapes.Keys);
        Assert.Equal([1L, 28, 28], shapes["input"]);
        Assert.Equal([4L, 28, 28], shapes["stem"]);
        Assert.Equal([4L, 28, 28], shapes["layer1.1"]);
        Assert.Equal([8L, 14, 14], shapes["layer2.0"]);
        Assert.Equal([16L, 7, 7], shapes["layer3.1"]);
        Assert.Equal([32L, 4, 4], shapes["layer4.1"]);
        Assert.Equal([32L], shapes["pool"]);
        Assert.Equal([10L], shapes["logits"]);
    }

    [Fact]
    public void Blocks_add_an_identity_or_a_strided_projection_shortcut_before_the_relu()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create("resnet18-small", Tiny, [1, 12, 12], 3, seed: 2);
        WarmUpBatchNorm(model, [8, 1, 12, 12]);
        using var noGrad = torch.no_grad();
        var taps = new Dictionary<string, Tensor>();
        var logits = model.Forward(ModelState.RandomBatch(3, 5, 12, 12), (n, a) => taps[n] = a); // [N, H, W]: one channel
        var state = model.state_dict();

        var stem = nn.functional.relu(ConvBatchNormByHand(state, "stem", taps["input"].unsqueeze(1), 1));
        Assert.True(stem.allclose(taps["stem"], rtol: 1e-4, atol: 1e-5));

        // layer1.0: same width and stride 1, so the shortcut is the identity.
        Assert.DoesNotContain(state.Keys, k => k.StartsWith("layer1.0.shortcut", StringComparison.Ordinal));
        var main = ConvBatchNormByHand(state, "layer1.0.conv2", nn.functional.relu(ConvBatchNormByHand(state, "layer1.0.conv1", taps["stem"], 1)), 1);
        Assert.True(nn.functional.relu(main + taps["stem"]).allclose(taps["layer1.0"], rtol: 1e-4, atol: 1e-5));

        // layer2.0: doubles the channels at stride 2, so the shortcut is a strided 1x1 convolution with batch norm.
        Assert.Equal([8L, 4, 1, 1], state["layer2.0.shortcut.conv.weight"].shape);
        var input = taps["layer1.1"];
        main = ConvBatchNormByHand(state, "layer2.0.conv2", nn.functional.relu(ConvBatchNormByHand(state, "layer2.0.conv1", input, 2)), 1);
        var shortcut = ConvBatchNormByHand(state, "layer2.0.shortcut", input, 2);
        Assert.True(nn.functional.relu(main + shortcut).allclose(taps["layer2.0"], rtol: 1e-4, atol: 1e-5));

        Assert.True(taps["layer4.1"].mean([2, 3]).allclose(taps["pool"]));
        var byHand = taps["pool"].matmul(state["fc.weight"].t()) + state["fc.bias"];
        Assert.True(byHand.allclose(logits, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Full_width_has_resnet18s_parameter_count_less_the_large_stem()
    {
        // torchvision's resnet18 (3 channels, 1000 classes) has 11 689 512 parameters; the 3x3
        // stem replaces the 7x7 one: 64 * 3 * (7 * 7 - 3 * 3) = 7 680 fewer.
        using var model = ModelZoo.Create("resnet18-small", new Dictionary<string, string> { ["width"] = "64" }, [3, 32, 32], 1000, seed: 0);
        Assert.Equal(11_689_512 - 7_680, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Init_is_seeded_he_normal_with_identity_batch_norm()
    {
        using var a = ModelZoo.Create("resnet18-small", Tiny, [1, 8, 8], 10, seed: 4);
        using var b = ModelZoo.Create("resnet18-small", Tiny, [1, 8, 8], 10, seed: 4);
        using var c = ModelZoo.Create("resnet18-small", Tiny, [1, 8, 8], 10, seed: 5);
        ModelState.AssertIdentical(a, b);
        Assert.False(ModelState.Of(a)["layer3.1.conv2.conv.weight"].SequenceEqual(ModelState.Of(c)["layer3.1.conv2.conv.weight"]));

        using var wide = ModelZoo.Create("resnet18-small", new Dictionary<string, string> { ["width"] = "64" }, [1, 8, 8], 10, seed: 4);
        var state = ModelState.Of(wide);
        var weight = state["layer4.1.conv1.conv.weight"]; // fan_in = 512 * 9
        var std = Math.Sqrt(weight.Select(w => (double)w * w).Average());
        Assert.InRange(std, Math.Sqrt(2.0 / (512 * 9)) * 0.98, Math.Sqrt(2.0 / (512 * 9)) * 1.02);
        Assert.All(state["layer4.1.conv1.bn.weight"], w => Assert.Equal(1f, w));
        Assert.All(state["layer4.1.conv1.bn.bias"], w => Assert.Equal(0f, w));
        Assert.All(state["layer4.1.conv1.bn.running_var"], w => Assert.Equal(1f, w));
    }

    [Fact]
    public void Shapes_other_than_the_built_one_and_non_images_are_clear_errors()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create("resnet18-small", Tiny, [1, 8, 8], 2, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => model.Forward(torch.zeros(2, 1, 9, 8), null));
        Assert.Contains("built for samples of shape [1, 8, 8]", error.Message);
        Assert.Contains("[channels, height, width]", Assert.Single(ModelZoo.Validate("resnet18-small", Tiny, [784])));
        Assert.Contains("not positive", Assert.Single(ModelZoo.Validate("resnet18-small", Tiny, [1, 0, 8])));
    }

    [Fact]
    public void Parameters_are_checked_and_canonical()
    {
        var problems = ModelZoo.Validate("resnet18-small", new Dictionary<string, string> { ["width"] = "0", ["Init"] = "he_normal", ["depth"] = "18" }, [1, 28, 28]);
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("'width' = 0 is out of range") && p.Contains("[1, 1024]"));
        Assert.Contains(problems, p => p.Contains("unknown parameter 'Init' (did you mean 'init'?)"));
        Assert.Contains(problems, p => p.Contains("unknown parameter 'depth'"));
        Assert.Equal(new Dictionary<string, string> { ["width"] = "16", ["init"] = "he_normal" }, ModelZoo.CanonicalParameters("resnet18-small", new Dictionary<string, string>()));
    }
}
