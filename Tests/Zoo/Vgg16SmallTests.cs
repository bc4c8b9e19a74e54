using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

public class Vgg16SmallTests
{
    private static readonly Dictionary<string, string> Tiny = new() { ["width"] = "2", ["hidden"] = "6" };

    private static readonly string[] ExpectedTaps =
    [
        "input", "conv1_1", "conv1_2", "conv2_1", "conv2_2", "conv3_1", "conv3_2", "conv3_3",
        "conv4_1", "conv4_2", "conv4_3", "conv5_1", "conv5_2", "conv5_3", "pool", "fc1", "logits",
    ];

    [Fact]
    public void Taps_are_the_thirteen_convolutions_pool_fc1_and_logits()
    {
        using var model = ModelZoo.Create("vgg16-small", Tiny, [1, 28, 28], 10, seed: 1);
        Assert.Equal(ExpectedTaps, model.TapNames);
        Assert.Equal(ExpectedTaps, ModelZoo.TapNames("vgg16-small", Tiny));

        // 28x28: pooled to 14, 7, 3, 1 after stages 1-4; stage 5 runs at 1x1 and is not pooled.
        var shapes = model.TapShapes([1, 28, 28]);
        Assert.Equal([2L, 28, 28], shapes["conv1_2"]);
        Assert.Equal([4L, 14, 14], shapes["conv2_1"]);
        Assert.Equal([8L, 7, 7], shapes["conv3_3"]);
        Assert.Equal([16L, 3, 3], shapes["conv4_1"]);
        Assert.Equal([16L, 1, 1], shapes["conv5_3"]);
        Assert.Equal([16L], shapes["pool"]);
        Assert.Equal([6L], shapes["fc1"]);
        Assert.Equal([10L], shapes["logits"]);

        // 56x56 mosaics: one more halving, stage 5 at 3x3.
        var mosaic = ModelZoo.TapShapes("vgg16-small", Tiny, [1, 56, 56], 10);
        Assert.Equal([16L, 3, 3], mosaic["conv5_1"]);
        Assert.Equal([16L, 7, 7], mosaic["conv4_3"]);
    }

    [Fact]
    public void Each_tap_is_relu_of_batch_norm_of_a_3x3_convolution_of_the_pooled_previous_stage()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create("vgg16-small", Tiny, [1, 8, 8], 3, seed: 2);
        ResNet18SmallTests.WarmUpBatchNorm(model, [6, 1, 8, 8]);
        using var noGrad = torch.no_grad();
        var taps = new Dictionary<string, Tensor>();
        var logits = model.Forward(ModelState.RandomBatch(3, 4, 1, 8, 8), (n, a) => taps[n] = a);
        var state = model.state_dict();

        var conv1 = nn.functional.relu(ResNet18SmallTests.ConvBatchNormByHand(state, "features.0", taps["input"], 1));
        Assert.True(conv1.allclose(taps["conv1_1"], rtol: 1e-4, atol: 1e-5));
        var conv2 = nn.functional.relu(ResNet18SmallTests.ConvBatchNormByHand(state, "features.2", nn.functional.max_pool2d(taps["conv1_2"], 2), 1));
        Assert.True(conv2.allclose(taps["conv2_1"], rtol: 1e-4, atol: 1e-5));
        // 8x8 → 4 → 2 → 1: stage 4 runs at 1x1, so conv5_1 reads conv4_3 unpooled.
        var conv5 = nn.functional.relu(ResNet18SmallTests.ConvBatchNormByHand(state, "features.10", taps["conv4_3"], 1));
        Assert.True(conv5.allclose(taps["conv5_1"], rtol: 1e-4, atol: 1e-5));

        Assert.True(taps["conv5_3"].mean([2, 3]).allclose(taps["pool"]));
        var fc1 = nn.functional.relu(taps["pool"].matmul(state["fc1.weight"].t()) + state["fc1.bias"]);
        Assert.True(fc1.allclose(taps["fc1"], rtol: 1e-4, atol: 1e-5));
        Assert.True((taps["fc1"].matmul(state["fc2.weight"].t()) + state["fc2.bias"]).allclose(logits, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Full_width_convolutions_have_vgg16_bns_parameter_count_less_the_conv_biases()
    {
        // torchvision's vgg16_bn features: 14 723 136 parameters, of which 4 224 are conv biases
        // (one per output channel) that batch norm makes redundant here.
        using var model = ModelZoo.Create("vgg16-small", new Dictionary<string, string> { ["width"] = "64", ["hidden"] = "16" }, [3, 32, 32], 10, seed: 0);
        var features = model.named_parameters().Where(p => p.name.StartsWith("features.", StringComparison.Ordinal)).Sum(p => p.parameter.numel());
        Assert.Equal(14_723_136 - 4_224, features);
    }

    [Fact]
    public void Same_seed_same_weights_and_parameters_are_canonical()
    {
        using var a = ModelZoo.Create("vgg16-small", Tiny, [28, 28], 10, seed: 4);
        using var b = ModelZoo.Create("vgg16-small", Tiny, [28, 28], 10, seed: 4);
        ModelState.AssertIdentical(a, b);
        Assert.Equal(new Dictionary<string, string> { ["width"] = "8", ["hidden"] = "128", ["init"] = "he_normal" },
            ModelZoo.CanonicalParameters("vgg16-small", new Dictionary<string, string>()));
        var problems = ModelZoo.Validate("vgg16-small", new Dictionary<string, string> { ["hidden"] = "0", ["width"] = "x" }, [1, 2, 3, 4]);
        Assert.Equal(3, problems.Count);
    }
}
