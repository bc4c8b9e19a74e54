using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

/// <summary>
/// resnet-cifar with the information-discarding paper's damaging block (conv1x1 M→N, ReLU, conv1x1
/// N→M, ReLU, no skip) between two residual blocks: its tap, its arithmetic, its parameters and its checkpoints.
/// </summary>
public class DamagedResNetCifarTests
{
    private static Dictionary<string, string> Parameters(string text) =>
        text.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void The_damage_tap_follows_its_block_and_every_other_tap_keeps_its_name()
    {
        string[] original =
        [
            "input", "stem", "layer1.0", "layer1.1", "layer1.2", "layer2.0", "layer2.1", "layer2.2",
            "layer3.0", "layer3.1", "layer3.out_preact", "layer3.2", "pool", "logits",
        ];
        string[] afterLayer1 =
        [
            "input", "stem", "layer1.0", "layer1.1", "layer1.2", "damage", "layer2.0", "layer2.1", "layer2.2",
            "layer3.0", "layer3.1", "layer3.out_preact", "layer3.2", "pool", "logits",
        ];
        string[] beforeTheLast =
        [
            "input", "stem", "layer1.0", "layer1.1", "layer1.2", "layer2.0", "layer2.1", "layer2.2",
            "layer3.0", "layer3.1", "damage", "layer3.out_preact", "layer3.2", "pool", "logits",
        ];
        Assert.Equal(afterLayer1, ModelZoo.TapNames("resnet-cifar", Parameters("damageAfter=layer1.2")));
        Assert.Equal(beforeTheLast, ModelZoo.TapNames("resnet-cifar", Parameters("damageAfter=layer3.1 damageWidth=4")));
        Assert.Equal(original, afterLayer1.Where(t => t != "damage"));
        Assert.Equal(["input", "stem", "layer1.0", "layer2.0", "damage", "layer3.out_preact", "layer3.0", "pool", "logits"],
            ModelZoo.TapNames("resnet-cifar", Parameters("depth=8 damageAfter=layer2.0")));

        using var model = ModelZoo.Create("resnet-cifar", Parameters("width=2 damageAfter=layer1.2"), [1, 8, 8], 10, seed: 1);
        Assert.Equal(afterLayer1, model.TapNames);
        Assert.Equal(afterLayer1, model.ForwardFromTaps);
    }

    [Fact]
    public void The_damage_tap_has_the_shape_of_its_block_derived_and_built_alike()
    {
        var parameters = Parameters("depth=14 width=4 damageAfter=layer2.0 damageWidth=3");
        var derived = ModelZoo.TapShapes("resnet-cifar", parameters, [3, 32, 32], 10);
        using var model = ModelZoo.Create("resnet-cifar", parameters, [3, 32, 32], 10, seed: 1);
        var built = model.TapShapes([3, 32, 32]);

        Assert.Equal(model.TapNames, derived.Keys);
        Assert.Equal(model.TapNames, built.Keys);
        foreach (var tap in model.TapNames)
            Assert.Equal(built[tap], derived[tap]);
        Assert.Equal([8L, 16, 16], derived["layer2.0"]);
        Assert.Equal([8L, 16, 16], derived["damage"]);
        Assert.Equal([8L, 16, 16], derived["layer2.1"]);

        model.eval();
        using var noGrad = torch.no_grad();
        using var logits = model.forward(ModelState.RandomBatch(1, 4, 3, 32, 32));
        Assert.Equal([4L, 10], logits.shape);
    }

    [Fact]
    public void The_damaging_block_adds_its_two_biased_1x1_convolutions_and_nothing_else()
    {
        using var original = ModelZoo.Create("resnet-cifar", new Dictionary<string, string>(), [3, 32, 32], 10, seed: 0);
        using var damaged = ModelZoo.Create("resnet-cifar", Parameters("damageAfter=layer2.0"), [3, 32, 32], 10, seed: 0);
        // M = 32 channels at layer2.0, N = 8: (32 * 8 + 8) + (8 * 32 + 32).
        Assert.Equal(269_722, original.parameters().Sum(p => p.numel()));
        Assert.Equal(269_722 + 264 + 288, damaged.parameters().Sum(p => p.numel()));
        var added = ModelState.Of(damaged).Keys.Except(ModelState.Of(original).Keys).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["damage.after_layer2_0.conv1.bias", "damage.after_layer2_0.conv1.weight", "damage.after_layer2_0.conv2.bias", "damage.after_layer2_0.conv2.weight"],
            added);
    }

    [Fact]
    public void The_block_computes_relu_of_w2_relu_of_w1_x_plus_b1_plus_b2_at_every_pixel()
    {
        using var scope = torch.NewDisposeScope();
        using var block = new DamagingBlock(channels: 2, width: 3);
        SetWeights(block.state_dict(), "");
        using var noGrad = torch.no_grad();
        // Two pixels: x = (1, 2) and (-1, 0.5), channels first.
        var x = torch.tensor(new float[] { 1, -1, 2, 0.5f }).reshape(1, 2, 1, 2);

        // (1, 2): W1 x + b1 = (-1, 2, -2.5) → (0, 2, 0); W2 h + b2 = (0.25, 1.5).
        // (-1, 0.5): W1 x + b1 = (-1.5, -2.75, 1) → (0, 0, 1); W2 h + b2 = (2.25, -0.5) → (2.25, 0).
        Assert.Equal([0.25f, 2.25f, 1.5f, 0f], ModelState.Values(block.forward(x)));
    }

    [Fact]
    public void In_the_network_the_damage_tap_is_the_block_applied_to_the_tap_before()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create("resnet-cifar", Parameters("depth=8 width=2 damageAfter=layer1.0 damageWidth=3"), [1, 5, 5], 3, seed: 2);
        ResNet18SmallTests.WarmUpBatchNorm(model, [8, 1, 5, 5]);
        SetWeights(model.state_dict(), "damage.after_layer1_0.");
        using var noGrad = torch.no_grad();
        var taps = new Dictionary<string, Tensor>();
        var logits = model.Forward(ModelState.RandomBatch(3, 4, 1, 5, 5), (n, a) => taps[n] = a);

        var below = ModelState.Values(taps["layer1.0"]); // [4, 2, 5, 5]
        var expected = new float[below.Length];
        const int pixels = 25;
        for (var sample = 0; sample < 4; sample++)
        {
            for (var pixel = 0; pixel < pixels; pixel++)
            {
                var x0 = below[(sample * 2 + 0) * pixels + pixel];
                var x1 = below[(sample * 2 + 1) * pixels + pixel];
                var (h0, h1, h2) = (Relu(x0 - x1), Relu(2 * x0 + 0.5f * x1 - 1), Relu(-x0 - x1 + 0.5f));
                expected[(sample * 2 + 0) * pixels + pixel] = Relu(h0 + 2 * h2 + 0.25f);
                expected[(sample * 2 + 1) * pixels + pixel] = Relu(-h0 + h1 - 0.5f);
            }
        }
        var actual = ModelState.Values(taps["damage"]);
        Assert.Equal(expected, actual, (e, a) => Math.Abs(e - a) <= 1e-5f);
        Assert.Contains(actual, v => v > 0.5f); // not all clipped to zero

        // The network above the damage starts from its output, and gives the full network's logits.
        Assert.Equal(ModelState.Values(logits), ModelState.Values(model.ForwardFrom("damage", taps["damage"])), (e, a) => Math.Abs(e - a) <= 1e-6f);
    }

    [Fact]
    public void Init_is_seeded_and_draws_the_block_in_forward_order()
    {
        using var a = ModelZoo.Create("resnet-cifar", Parameters("depth=8 width=2 damageAfter=layer1.0"), [1, 8, 8], 10, seed: 4);
        using var b = ModelZoo.Create("resnet-cifar", Parameters("depth=8 width=2 damageAfter=layer1.0"), [1, 8, 8], 10, seed: 4);
        using var original = ModelZoo.Create("resnet-cifar", Parameters("depth=8 width=2"), [1, 8, 8], 10, seed: 4);
        ModelState.AssertIdentical(a, b);
        var damaged = ModelState.Of(a);
        var plain = ModelState.Of(original);
        // Drawn before the block: as in the original network of the same seed; drawn after it: not.
        Assert.Equal(plain["stem.conv.weight"], damaged["stem.conv.weight"]);
        Assert.Equal(plain["layer1.0.conv2.conv.weight"], damaged["layer1.0.conv2.conv.weight"]);
        Assert.NotEqual(plain["layer2.0.conv1.conv.weight"], damaged["layer2.0.conv1.conv.weight"]);

        // He normal: std sqrt(2 / fan_in), fan_in = M = 128 for conv1 and N = 8 for conv2; zero biases.
        using var wide = ModelZoo.Create("resnet-cifar", Parameters("depth=8 width=64 damageAfter=layer2.0"), [1, 8, 8], 10, seed: 4);
        var state = ModelState.Of(wide);
        static double Std(float[] w) => Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.Equal(8 * 128, state["damage.after_layer2_0.conv1.weight"].Length);
        Assert.InRange(Std(state["damage.after_layer2_0.conv1.weight"]), Math.Sqrt(2.0 / 128) * 0.9, Math.Sqrt(2.0 / 128) * 1.1);
        Assert.InRange(Std(state["damage.after_layer2_0.conv2.weight"]), Math.Sqrt(2.0 / 8) * 0.9, Math.Sqrt(2.0 / 8) * 1.1);
        Assert.All(state["damage.after_layer2_0.conv1.bias"], v => Assert.Equal(0f, v));
        Assert.All(state["damage.after_layer2_0.conv2.bias"], v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Parameters_name_the_blocks_allowed_and_why_the_last_is_not()
    {
        const string allowed = "allowed: layer1.0, layer1.1, layer1.2, layer2.0, layer2.1, layer2.2, layer3.0, layer3.1 (";
        var unknown = Assert.Single(ModelZoo.Validate("resnet-cifar", Parameters("damageAfter=layer4.0"), [3, 32, 32]));
        Assert.Contains("parameter 'damageAfter' = 'layer4.0' is not allowed; " + allowed, unknown);
        Assert.Contains("or leave it out", unknown);
        Assert.Contains("'damageAfter' = 'stem' is not allowed", Assert.Single(ModelZoo.Validate("resnet-cifar", Parameters("damageAfter=stem"), [3, 32, 32])));

        var last = Assert.Single(ModelZoo.Validate("resnet-cifar", Parameters("damageAfter=layer3.2"), [3, 32, 32]));
        Assert.Contains(allowed, last);
        Assert.Contains("not the last block layer3.2, which the pool follows and whose output is split into layer3.out_preact and its ReLU", last);
        Assert.Contains("allowed: layer1.0, layer2.0 (", Assert.Single(ModelZoo.Validate("resnet-cifar", Parameters("depth=8 damageAfter=layer3.0"), [3, 32, 32])));

        var alone = Assert.Single(ModelZoo.Validate("resnet-cifar", Parameters("damageWidth=8"), [3, 32, 32]));
        Assert.Contains("parameter 'damageWidth' sizes the damaging block, but 'damageAfter' is not given", alone);
        Assert.Contains("add damageAfter (one of layer1.0, ", alone);
        // A misspelt block is the one problem: its width is not reported as given alone.
        Assert.Single(ModelZoo.Validate("resnet-cifar", Parameters("damageAfter=layer9.9 damageWidth=4"), [3, 32, 32]));

        Assert.Contains("parameter 'damageWidth' = 0 is out of range; allowed: an integer in [1, 4096] (default 8)",
            Assert.Single(ModelZoo.Validate("resnet-cifar", Parameters("damageAfter=layer1.0 damageWidth=0"), [3, 32, 32])));
        Assert.Contains("'damageWidth' = 4097 is out of range",
            Assert.Single(ModelZoo.Validate("resnet-cifar", Parameters("damageAfter=layer1.0 damageWidth=4097"), [3, 32, 32])));
        Assert.Contains("unknown parameter 'damageafter' (did you mean 'damageAfter'?)",
            Assert.Single(ModelZoo.Validate("resnet-cifar", Parameters("damageafter=layer1.0"), [3, 32, 32])));
    }

    [Fact]
    public void Canonical_parameters_fill_in_the_width_only_for_a_damaged_network()
    {
        Assert.Equal(
            new Dictionary<string, string> { ["depth"] = "20", ["width"] = "16", ["init"] = "he_normal", ["damageAfter"] = "layer2.1", ["damageWidth"] = "8" },
            ModelZoo.CanonicalParameters("resnet-cifar", Parameters("damageAfter=LAYER2.1")));
        Assert.Equal("3", ModelZoo.CanonicalParameters("resnet-cifar", new Dictionary<string, string> { ["damageAfter"] = " layer1.0", ["damageWidth"] = " 3" })["damageWidth"]);
        Assert.Equal(["depth", "width", "init"], ModelZoo.CanonicalParameters("resnet-cifar", Parameters("depth=20")).Keys);
    }

    [Fact]
    public void Model_json_keeps_the_damage_and_tells_it_from_the_original()
    {
        using var folder = new TempFolder();
        var damaged = new ModelDescriptor("resnet-cifar", Parameters("depth=8 width=2 damageAfter=layer1.0 damageWidth=3"), [1, 8, 8], 10, 7, "fashion-mnist");
        damaged.Save(folder.Path);
        var loaded = ModelDescriptor.TryLoad(folder.Path)!;

        Assert.Equal(damaged, loaded);
        using (var rebuilt = loaded.CreateModel())
        using (var built = damaged.CreateModel())
            ModelState.AssertIdentical(built, rebuilt);
        var original = damaged with { Parameters = Parameters("depth=8 width=2") };
        Assert.Equal(["parameter damageAfter: layer1.0 vs (absent)", "parameter damageWidth: 3 vs (absent)"], loaded.DifferencesFrom(original));
        Assert.Equal(["parameter damageAfter: layer1.0 vs layer2.0"],
            loaded.DifferencesFrom(damaged with { Parameters = Parameters("depth=8 width=2 damageAfter=layer2.0 damageWidth=3") }));
    }

    [Theory]
    [InlineData("step.pt")]
    [InlineData("step.safetensors")]
    public void A_checkpoint_loads_into_the_same_damaged_network_only(string fileName)
    {
        using var folder = new TempFolder();
        using var scope = torch.NewDisposeScope();
        const string parameters = "depth=14 width=2 damageAfter=layer1.0 damageWidth=3";
        using var saved = ModelZoo.Create("resnet-cifar", Parameters(parameters), [1, 8, 8], 3, seed: 1);
        ResNet18SmallTests.WarmUpBatchNorm(saved, [6, 1, 8, 8]);
        CheckpointFile.Save(saved, folder.File(fileName));

        using var reloaded = ModelZoo.Create("resnet-cifar", Parameters(parameters), [1, 8, 8], 3, seed: 99);
        CheckpointFile.Load(reloaded, folder.File(fileName));
        ModelState.AssertIdentical(saved, reloaded);
        saved.eval();
        reloaded.eval();
        using var noGrad = torch.no_grad();
        var x = ModelState.RandomBatch(42, 5, 1, 8, 8);
        Assert.Equal(ModelState.Values(saved.forward(x)), ModelState.Values(reloaded.forward(x)));

        using var original = ModelZoo.Create("resnet-cifar", Parameters("depth=14 width=2"), [1, 8, 8], 3, seed: 1);
        var intoOriginal = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(original, folder.File(fileName)));
        Assert.Contains("unexpected tensor 'damage.after_layer1_0.conv1.weight' (shape [3, 2, 1, 1]) that the model does not have", intoOriginal.Message);

        // The same shapes one block later: refused by name, not loaded into the wrong place.
        using var elsewhere = ModelZoo.Create("resnet-cifar", Parameters("depth=14 width=2 damageAfter=layer1.1 damageWidth=3"), [1, 8, 8], 3, seed: 1);
        var intoElsewhere = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(elsewhere, folder.File(fileName)));
        Assert.Contains("missing tensor 'damage.after_layer1_1.conv1.weight'", intoElsewhere.Message);

        using var wider = ModelZoo.Create("resnet-cifar", Parameters("depth=14 width=2 damageAfter=layer1.0 damageWidth=4"), [1, 8, 8], 3, seed: 1);
        var intoWider = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(wider, folder.File(fileName)));
        Assert.Contains("shape mismatch for 'damage.after_layer1_0.conv1.weight': the model expects [4, 2, 1, 1], the file has [3, 2, 1, 1]", intoWider.Message);
    }

    /// <summary>W1 = [[1, -1], [2, 0.5], [-1, -1]], b1 = (0, -1, 0.5); W2 = [[1, 0, 2], [-1, 1, 0]], b2 = (0.25, -0.5).</summary>
    private static void SetWeights(IDictionary<string, Tensor> state, string prefix)
    {
        using var noGrad = torch.no_grad();
        state[prefix + "conv1.weight"].copy_(torch.tensor(new float[] { 1, -1, 2, 0.5f, -1, -1 }).reshape(3, 2, 1, 1));
        state[prefix + "conv1.bias"].copy_(torch.tensor(new float[] { 0, -1, 0.5f }));
        state[prefix + "conv2.weight"].copy_(torch.tensor(new float[] { 1, 0, 2, -1, 1, 0 }).reshape(2, 3, 1, 1));
        state[prefix + "conv2.bias"].copy_(torch.tensor(new float[] { 0.25f, -0.5f }));
    }

    private static float Relu(float v) => Math.Max(v, 0f);
}
