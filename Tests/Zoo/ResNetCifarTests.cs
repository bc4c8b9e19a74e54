using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

public class ResNetCifarTests
{
    private static readonly Dictionary<string, string> Tiny = new() { ["depth"] = "8", ["width"] = "2" };

    private static Dictionary<string, string> Depth(int depth, int width = 16) =>
        new() { ["depth"] = depth.ToString(System.Globalization.CultureInfo.InvariantCulture), ["width"] = width.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>
    /// Parameters of a CIFAR ResNet by formula: 3x3 convolutions without bias, each followed by batch
    /// norm (scale and shift per channel); option-A shortcuts have none; a linear classifier.
    /// </summary>
    private static long ParameterCount(int depth, long width, long inChannels, long classes)
    {
        var n = (depth - 2) / 6;
        static long ConvBn(long cin, long cout) => 9 * cin * cout + 2 * cout;
        var count = ConvBn(inChannels, width);
        var channels = width;
        for (var stage = 0; stage < 3; stage++)
        {
            var outChannels = width << stage;
            count += ConvBn(channels, outChannels) + ConvBn(outChannels, outChannels); // first block
            count += (n - 1) * 2 * ConvBn(outChannels, outChannels);
            channels = outChannels;
        }
        return count + channels * classes + classes;
    }

    [Fact]
    public void Taps_are_stem_the_blocks_with_the_last_pre_activation_pool_and_logits()
    {
        string[] depth8 = ["input", "stem", "layer1.0", "layer2.0", "layer3.out_preact", "layer3.0", "pool", "logits"];
        string[] depth20 =
        [
            "input", "stem", "layer1.0", "layer1.1", "layer1.2", "layer2.0", "layer2.1", "layer2.2",
            "layer3.0", "layer3.1", "layer3.out_preact", "layer3.2", "pool", "logits",
        ];
        Assert.Equal(depth8, ModelZoo.TapNames("resnet-cifar", Tiny));
        Assert.Equal(depth20, ModelZoo.TapNames("resnet-cifar", new Dictionary<string, string>()));
        Assert.Equal(2 + 3 * 7 + 1 + 2, ModelZoo.TapNames("resnet-cifar", Depth(44)).Count);
        using var model = ModelZoo.Create("resnet-cifar", new Dictionary<string, string> { ["width"] = "2" }, [1, 8, 8], 10, seed: 1);
        Assert.Equal(depth20, model.TapNames);
        Assert.Equal(depth20, model.ForwardFromTaps);
    }

    [Theory]
    [InlineData(new long[] { 28, 28 }, 28, 14, 7)]
    [InlineData(new long[] { 1, 28, 28 }, 28, 14, 7)]
    [InlineData(new long[] { 3, 32, 32 }, 32, 16, 8)]
    public void Shapes_at_fashion_mnist_and_cifar_size_are_analytic_and_built_alike(long[] sampleShape, long side1, long side2, long side3)
    {
        var derived = ModelZoo.TapShapes("resnet-cifar", new Dictionary<string, string>(), sampleShape, 10);
        using var model = ModelZoo.Create("resnet-cifar", new Dictionary<string, string>(), sampleShape, 10, seed: 1);
        var built = model.TapShapes(sampleShape);

        Assert.Equal(model.TapNames, derived.Keys);
        Assert.Equal(model.TapNames, built.Keys);
        foreach (var tap in model.TapNames)
            Assert.Equal(built[tap], derived[tap]);
        Assert.Equal(sampleShape, derived["input"]);
        Assert.Equal([16L, side1, side1], derived["stem"]);
        Assert.Equal([16L, side1, side1], derived["layer1.2"]);
        Assert.Equal([32L, side2, side2], derived["layer2.0"]);
        Assert.Equal([64L, side3, side3], derived["layer3.out_preact"]);
        Assert.Equal([64L, side3, side3], derived["layer3.2"]);
        Assert.Equal([64L], derived["pool"]);
        Assert.Equal([10L], derived["logits"]);
    }

    [Fact]
    public void Resnet20_has_the_papers_0_27_million_parameters()
    {
        using var model = ModelZoo.Create("resnet-cifar", new Dictionary<string, string>(), [3, 32, 32], 10, seed: 0);
        var count = model.parameters().Sum(p => p.numel());
        Assert.Equal(ParameterCount(20, 16, 3, 10), count);
        Assert.Equal(269_722, count);
        Assert.InRange(count, 265_000, 275_000); // He et al., table 6: 0.27M

        foreach (var depth in new[] { 8, 14, 32, 44 })
        {
            using var other = ModelZoo.Create("resnet-cifar", Depth(depth, 4), [1, 8, 8], 7, seed: 0);
            Assert.Equal(ParameterCount(depth, 4, 1, 7), other.parameters().Sum(p => p.numel()));
        }
    }

    [Fact]
    public void Blocks_add_a_parameter_free_subsampled_zero_padded_shortcut_before_the_relu()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create("resnet-cifar", Tiny, [1, 9, 9], 3, seed: 2);
        ResNet18SmallTests.WarmUpBatchNorm(model, [8, 1, 9, 9]);
        using var noGrad = torch.no_grad();
        var taps = new Dictionary<string, Tensor>();
        var logits = model.Forward(ModelState.RandomBatch(3, 5, 9, 9), (n, a) => taps[n] = a); // [N, H, W]: one channel
        var state = model.state_dict();
        Assert.DoesNotContain(state.Keys, k => k.Contains("shortcut", StringComparison.Ordinal));

        var stem = nn.functional.relu(ResNet18SmallTests.ConvBatchNormByHand(state, "stem", taps["input"].unsqueeze(1), 1));
        Assert.True(stem.allclose(taps["stem"], rtol: 1e-4, atol: 1e-5));

        // layer1.0: same width and stride 1, so the shortcut is the identity.
        var main = ResNet18SmallTests.ConvBatchNormByHand(state, "layer1.0.conv2",
            nn.functional.relu(ResNet18SmallTests.ConvBatchNormByHand(state, "layer1.0.conv1", taps["stem"], 1)), 1);
        Assert.True(nn.functional.relu(main + taps["stem"]).allclose(taps["layer1.0"], rtol: 1e-4, atol: 1e-5));

        // layer2.0: 2 → 4 channels at stride 2 on a 9x9 map: x[:, :, ::2, ::2] (5x5) with one zero channel before and one after.
        var input = taps["layer1.0"];
        main = ResNet18SmallTests.ConvBatchNormByHand(state, "layer2.0.conv2",
            nn.functional.relu(ResNet18SmallTests.ConvBatchNormByHand(state, "layer2.0.conv1", input, 2)), 1);
        var subsampled = input.index_select(2, torch.tensor(new long[] { 0, 2, 4, 6, 8 })).index_select(3, torch.tensor(new long[] { 0, 2, 4, 6, 8 }));
        var zeros = torch.zeros(5, 1, 5, 5);
        var shortcut = torch.cat([zeros, subsampled, zeros], 1);
        Assert.True(nn.functional.relu(main + shortcut).allclose(taps["layer2.0"], rtol: 1e-4, atol: 1e-5));

        // layer3.0, the last block: its pre-activation tap, then its ReLU.
        input = taps["layer2.0"];
        main = ResNet18SmallTests.ConvBatchNormByHand(state, "layer3.0.conv2",
            nn.functional.relu(ResNet18SmallTests.ConvBatchNormByHand(state, "layer3.0.conv1", input, 2)), 1);
        subsampled = input.index_select(2, torch.tensor(new long[] { 0, 2, 4 })).index_select(3, torch.tensor(new long[] { 0, 2, 4 }));
        shortcut = torch.cat([torch.zeros(5, 2, 3, 3), subsampled, torch.zeros(5, 2, 3, 3)], 1);
        Assert.True((main + shortcut).allclose(taps["layer3.out_preact"], rtol: 1e-4, atol: 1e-5));
        Assert.Equal(ModelState.Values(nn.functional.relu(taps["layer3.out_preact"])), ModelState.Values(taps["layer3.0"]));

        Assert.True(taps["layer3.0"].mean([2, 3]).allclose(taps["pool"]));
        var byHand = taps["pool"].matmul(state["fc.weight"].t()) + state["fc.bias"];
        Assert.True(byHand.allclose(logits, rtol: 1e-4, atol: 1e-5));

        // The paper's upper network above the disentangled feature: ReLU, average pool, linear.
        var upper = nn.functional.relu(taps["layer3.out_preact"]).mean([2, 3]).matmul(state["fc.weight"].t()) + state["fc.bias"];
        Assert.True(upper.allclose(model.ForwardFrom("layer3.out_preact", taps["layer3.out_preact"]), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void One_channel_images_come_with_or_without_the_channel_axis()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create("resnet-cifar", Tiny, [28, 28], 10, seed: 5);
        model.eval();
        using var noGrad = torch.no_grad();
        var x = ModelState.RandomBatch(6, 3, 28, 28);
        Assert.Equal(ModelState.Values(model.forward(x)), ModelState.Values(model.forward(x.unsqueeze(1))));
        var error = Assert.Throws<ArgumentException>(() => model.forward(torch.zeros(2, 3, 28, 28)));
        Assert.Contains("built for samples of shape [1, 28, 28]", error.Message);
    }

    [Fact]
    public void Init_is_seeded_he_normal_with_identity_batch_norm()
    {
        using var a = ModelZoo.Create("resnet-cifar", Tiny, [1, 8, 8], 10, seed: 4);
        using var b = ModelZoo.Create("resnet-cifar", Tiny, [1, 8, 8], 10, seed: 4);
        using var c = ModelZoo.Create("resnet-cifar", Tiny, [1, 8, 8], 10, seed: 5);
        ModelState.AssertIdentical(a, b);
        Assert.False(ModelState.Of(a)["layer3.0.conv2.conv.weight"].SequenceEqual(ModelState.Of(c)["layer3.0.conv2.conv.weight"]));

        using var wide = ModelZoo.Create("resnet-cifar", Depth(8, 64), [1, 8, 8], 10, seed: 4);
        var state = ModelState.Of(wide);
        var weight = state["layer3.0.conv2.conv.weight"]; // fan_in = 256 * 9
        var std = Math.Sqrt(weight.Select(w => (double)w * w).Average());
        Assert.InRange(std, Math.Sqrt(2.0 / (256 * 9)) * 0.98, Math.Sqrt(2.0 / (256 * 9)) * 1.02);
        Assert.All(state["layer3.0.conv2.bn.weight"], w => Assert.Equal(1f, w));
        Assert.All(state["layer3.0.conv2.bn.bias"], w => Assert.Equal(0f, w));
        Assert.All(state["fc.bias"], w => Assert.Equal(0f, w));
    }

    [Fact]
    public void Parameters_are_checked_and_canonical()
    {
        var problems = ModelZoo.Validate("resnet-cifar", new Dictionary<string, string> { ["depth"] = "18", ["width"] = "0", ["Init"] = "he_normal" }, [1, 28, 28]);
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("'depth' = 18 is not 6n + 2") && p.Contains("8, 14, 20, 32, 44"));
        Assert.Contains(problems, p => p.Contains("'width' = 0 is out of range") && p.Contains("[1, 1024]"));
        Assert.Contains(problems, p => p.Contains("unknown parameter 'Init' (did you mean 'init'?)"));
        Assert.Contains(ModelZoo.Validate("resnet-cifar", Depth(2), [1, 28, 28]), p => p.Contains("'depth' = 2 is out of range"));
        Assert.Contains("[channels, height, width]", Assert.Single(ModelZoo.Validate("resnet-cifar", Tiny, [784])));
        Assert.Equal(
            new Dictionary<string, string> { ["depth"] = "20", ["width"] = "16", ["init"] = "he_normal" },
            ModelZoo.CanonicalParameters("resnet-cifar", new Dictionary<string, string>()));
        Assert.Equal("44", ModelZoo.CanonicalParameters("resnet-cifar", new Dictionary<string, string> { ["depth"] = " 44" })["depth"]);
    }
}
