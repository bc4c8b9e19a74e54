using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

public class MlpModelTests
{
    private static TappedModel Mlp(Dictionary<string, string> parameters, long seed = 1, long inputSize = 10, int classes = 4) =>
        ModelZoo.Create("mlp", parameters, [inputSize], classes, seed);

    private static Dictionary<string, Tensor> Taps(TappedModel model, Tensor x)
    {
        var taps = new Dictionary<string, Tensor>();
        model.Forward(x, (name, activation) => taps.Add(name, activation));
        return taps;
    }

    [Fact]
    public void Tap_names_and_per_sample_shapes_follow_the_layers()
    {
        var parameters = new Dictionary<string, string> { ["depth"] = "3", ["width"] = "8" };
        using var model = Mlp(parameters);

        string[] expected = ["input", "layer1", "layer2", "layer3", "logits"];
        Assert.Equal(expected, model.TapNames);
        Assert.Equal(expected, ModelZoo.TapNames("mlp", parameters));

        var shapes = model.TapShapes([10]);
        Assert.Equal(expected, shapes.Keys);
        Assert.Equal([10L], shapes["input"]);
        Assert.Equal([8L], shapes["layer1"]);
        Assert.Equal([8L], shapes["layer3"]);
        Assert.Equal([4L], shapes["logits"]);
    }

    [Fact]
    public void Input_tap_is_the_flattened_raw_input()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create("mlp", new Dictionary<string, string> { ["depth"] = "2", ["width"] = "8" }, [2, 5], 3, seed: 1);
        var x = ModelState.RandomBatch(7, 6, 2, 5);
        var taps = Taps(model, x);
        Assert.Equal([6L, 10L], taps["input"].shape);
        Assert.Equal(ModelState.Values(x), ModelState.Values(taps["input"]));
        Assert.Equal([10L], model.TapShapes([2, 5])["input"]);
    }

    [Theory]
    [InlineData("leaky_relu")]
    [InlineData("relu")]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    public void Each_hidden_layer_is_the_activation_of_an_affine_map_of_the_previous(string activation)
    {
        using var scope = torch.NewDisposeScope();
        using var model = Mlp(new() { ["depth"] = "2", ["width"] = "8", ["activation"] = activation });
        var x = ModelState.RandomBatch(3, 5, 10);
        var taps = Taps(model, x);
        var state = model.state_dict();

        var affine = taps["layer1"].matmul(state["hidden.1.weight"].t()) + state["hidden.1.bias"];
        var expected = activation switch
        {
            "leaky_relu" => nn.functional.leaky_relu(affine, 0.5), // the paper's slope is the default
            "relu" => nn.functional.relu(affine),
            "tanh" => affine.tanh(),
            _ => affine.sigmoid(),
        };
        Assert.True(expected.allclose(taps["layer2"], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Skip_connection_concatenates_layer_a_into_the_input_of_layer_b()
    {
        using var scope = torch.NewDisposeScope();
        using var model = Mlp(new() { ["depth"] = "4", ["width"] = "8", ["skipFrom"] = "0", ["skipTo"] = "3" });
        var state = model.state_dict();
        Assert.Equal([8L, 10L], state["hidden.0.weight"].shape);
        Assert.Equal([8L, 8L], state["hidden.1.weight"].shape);
        Assert.Equal([8L, 18L], state["hidden.2.weight"].shape); // layer 3 reads layer 2 (8) and the input (10)
        Assert.Equal([8L, 8L], state["hidden.3.weight"].shape);

        var x = ModelState.RandomBatch(4, 5, 10);
        var taps = Taps(model, x);
        var layerInput = torch.cat([taps["layer2"], taps["input"]], 1);
        var expected = nn.functional.leaky_relu(layerInput.matmul(state["hidden.2.weight"].t()) + state["hidden.2.bias"], 0.5);
        Assert.True(expected.allclose(taps["layer3"], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Skip_from_a_hidden_layer_widens_by_the_hidden_width()
    {
        using var model = Mlp(new() { ["depth"] = "5", ["width"] = "6", ["skipFrom"] = "1", ["skipTo"] = "4" });
        Assert.Equal([6L, 12L], model.state_dict()["hidden.3.weight"].shape);
    }

    [Fact]
    public void Training_loss_adds_weighted_auxiliary_cross_entropies_without_changing_logits_or_taps()
    {
        using var scope = torch.NewDisposeScope();
        var withHeads = new Dictionary<string, string> { ["depth"] = "5", ["width"] = "8", ["auxHeadEvery"] = "2", ["auxLossWeight"] = "0.3" };
        using var model = Mlp(withHeads, seed: 5);
        using var plain = Mlp(new() { ["depth"] = "5", ["width"] = "8" }, seed: 5);
        var x = ModelState.RandomBatch(9, 16, 10);
        var labels = torch.tensor(Enumerable.Range(0, 16).Select(i => (long)(i % 4)).ToArray());

        // Heads on layers 2 and 4 (below the last hidden layer, which feeds the classifier itself).
        var state = model.state_dict();
        Assert.Equal(2, state.Keys.Count(k => k.StartsWith("aux.", StringComparison.Ordinal) && k.EndsWith(".weight", StringComparison.Ordinal)));
        Assert.Equal(plain.TapNames, model.TapNames);

        var taps = Taps(model, x);
        var plainLogits = plain.Forward(x, null);
        Assert.Equal(ModelState.Values(plainLogits), ModelState.Values(taps["logits"]));

        var main = nn.functional.cross_entropy(taps["logits"], labels);
        var aux2 = nn.functional.cross_entropy(taps["layer2"].matmul(state["aux.0.weight"].t()) + state["aux.0.bias"], labels);
        var aux4 = nn.functional.cross_entropy(taps["layer4"].matmul(state["aux.1.weight"].t()) + state["aux.1.bias"], labels);
        var expected = main.item<float>() + 0.3 * (aux2.item<float>() + aux4.item<float>());

        Assert.Equal(expected, model.TrainingLoss(x, labels).item<float>(), 5);
        Assert.Equal(main.item<float>(), plain.TrainingLoss(x, labels).item<float>(), 6);
        Assert.True(model.TrainingLoss(x, labels).item<float>() > plain.TrainingLoss(x, labels).item<float>());
    }

    [Fact]
    public void Same_seed_gives_identical_weights_and_another_seed_different_ones()
    {
        var parameters = new Dictionary<string, string> { ["depth"] = "3", ["width"] = "8", ["auxHeadEvery"] = "1" };
        using var a = Mlp(parameters, seed: 42);
        using var b = Mlp(parameters, seed: 42);
        using var c = Mlp(parameters, seed: 43);
        ModelState.AssertIdentical(a, b);
        Assert.False(ModelState.Of(a)["hidden.0.weight"].SequenceEqual(ModelState.Of(c)["hidden.0.weight"]));
    }

    [Theory]
    [InlineData("glorot_normal")]
    [InlineData("glorot_uniform")]
    [InlineData("he_normal")]
    [InlineData("torch_default")]
    public void Init_schemes_have_their_textbook_spread(string init)
    {
        using var model = ModelZoo.Create("mlp", new Dictionary<string, string> { ["depth"] = "2", ["width"] = "300", ["init"] = init }, [200], 2, seed: 3);
        var weight = ModelState.Of(model)["hidden.1.weight"]; // fan_in = fan_out = 300
        var bias = ModelState.Of(model)["hidden.1.bias"];
        var std = Math.Sqrt(weight.Select(w => (double)w * w).Average());
        var (expectedStd, maxAbs) = init switch
        {
            "glorot_normal" => (Math.Sqrt(2.0 / 600), double.PositiveInfinity),
            "glorot_uniform" => (Math.Sqrt(6.0 / 600) / Math.Sqrt(3), Math.Sqrt(6.0 / 600)),
            "he_normal" => (Math.Sqrt(2.0 / 300), double.PositiveInfinity),
            _ => (1 / Math.Sqrt(300) / Math.Sqrt(3), 1 / Math.Sqrt(300)),
        };
        Assert.InRange(std, expectedStd * 0.97, expectedStd * 1.03);
        Assert.All(weight, w => Assert.True(Math.Abs(w) <= maxAbs));
        if (init != "torch_default")
            Assert.All(bias, b => Assert.Equal(0f, b));
    }

    [Fact]
    public void Paper_defaults_build_a_32_layer_128_unit_network()
    {
        using var model = ModelZoo.Create("mlp", new Dictionary<string, string>(), [128], 2, seed: 0);
        Assert.Equal(34, model.TapNames.Count);
        var mlp = Assert.IsType<MlpModel>(model);
        Assert.Equal(new MlpConfig(32, 128, "leaky_relu", 0.5, "glorot_normal", 0, 1.0, null, null), mlp.Config);
    }

    [Fact]
    public void Wrong_input_size_is_a_clear_error()
    {
        using var scope = torch.NewDisposeScope();
        using var model = Mlp(new() { ["depth"] = "2", ["width"] = "4" });
        var error = Assert.Throws<ArgumentException>(() => model.Forward(torch.zeros(2, 7), null));
        Assert.Contains("expects 10 input values", error.Message);
    }
}
