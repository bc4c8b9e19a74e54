using ProbeGrid.Analysis.Zoo;
using TorchSharp;

namespace ProbeGrid.Tests.Zoo;

public class MnistConvNetTests
{
    private static readonly Dictionary<string, string> Defaults = [];

    [Fact]
    public void Taps_on_both_sides_of_every_op_have_the_papers_names_and_shapes()
    {
        using var model = ModelZoo.Create("mnist-convnet", Defaults, [1, 28, 28], 10, seed: 1);
        string[] names =
        [
            "input", "conv1_preact", "conv1_postact", "conv1_pooling", "conv2_preact", "conv2_postact",
            "conv2_pooling", "fc1_preact", "fc1_postact", "logits",
        ];
        Assert.Equal(names, model.TapNames);
        Assert.Equal(names, ModelZoo.TapNames("mnist-convnet", Defaults));

        var shapes = model.TapShapes([1, 28, 28]);
        Assert.Equal(names, shapes.Keys);
        Assert.Equal([1L, 28, 28], shapes["input"]);
        Assert.Equal([32L, 28, 28], shapes["conv1_preact"]);
        Assert.Equal([32L, 28, 28], shapes["conv1_postact"]);
        Assert.Equal([32L, 14, 14], shapes["conv1_pooling"]);
        Assert.Equal([64L, 14, 14], shapes["conv2_preact"]);
        Assert.Equal([64L, 7, 7], shapes["conv2_pooling"]);
        Assert.Equal([512L], shapes["fc1_preact"]);
        Assert.Equal([512L], shapes["fc1_postact"]);
        Assert.Equal([10L], shapes["logits"]);
    }

    [Fact]
    public void Other_sizes_divisible_by_four_and_channelless_images_work()
    {
        var parameters = new Dictionary<string, string> { ["channels1"] = "4", ["channels2"] = "6", ["hidden"] = "16" };
        using var rgb = ModelZoo.Create("mnist-convnet", parameters, [3, 8, 12], 5, seed: 1);
        var shapes = rgb.TapShapes([3, 8, 12]);
        Assert.Equal([4L, 4, 6], shapes["conv1_pooling"]);
        Assert.Equal([6L, 2, 3], shapes["conv2_pooling"]);
        Assert.Equal([5L], shapes["logits"]);

        using var gray = ModelZoo.Create("mnist-convnet", parameters, [8, 8], 3, seed: 1);
        Assert.Equal([4L, 8, 8], gray.TapShapes([8, 8])["conv1_preact"]);
    }

    [Fact]
    public void Postact_is_relu_of_preact_and_pooling_halves_it()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create("mnist-convnet", new Dictionary<string, string> { ["channels1"] = "3", ["channels2"] = "4", ["hidden"] = "8" }, [1, 8, 8], 2, seed: 2);
        var taps = new Dictionary<string, torch.Tensor>();
        model.Forward(ModelState.RandomBatch(1, 2, 1, 8, 8), (n, a) => taps[n] = a);
        Assert.Equal(ModelState.Values(torch.nn.functional.relu(taps["conv1_preact"])), ModelState.Values(taps["conv1_postact"]));
        Assert.Equal(ModelState.Values(torch.nn.functional.max_pool2d(taps["conv2_postact"], 2)), ModelState.Values(taps["conv2_pooling"]));
    }

    [Fact]
    public void Default_init_is_the_tutorials_truncated_normal_with_biases_of_a_tenth()
    {
        using var model = ModelZoo.Create("mnist-convnet", Defaults, [1, 28, 28], 10, seed: 7);
        var state = ModelState.Of(model);
        var weights = state["fc1.weight"];
        Assert.All(weights, w => Assert.InRange(w, -0.2f, 0.2f));
        var std = Math.Sqrt(weights.Select(w => (double)w * w).Average());
        Assert.InRange(std, 0.0872, 0.0884); // std of N(0, 0.1) truncated at ±2σ: 0.0880
        Assert.All(state["conv1.bias"], b => Assert.Equal(0.1f, b));
    }

    [Fact]
    public void Same_seed_gives_identical_weights_and_another_seed_different_ones()
    {
        var parameters = new Dictionary<string, string> { ["channels1"] = "4", ["channels2"] = "4", ["hidden"] = "8" };
        using var a = ModelZoo.Create("mnist-convnet", parameters, [1, 8, 8], 10, seed: 11);
        using var b = ModelZoo.Create("mnist-convnet", parameters, [1, 8, 8], 10, seed: 11);
        using var c = ModelZoo.Create("mnist-convnet", parameters, [1, 8, 8], 10, seed: 12);
        ModelState.AssertIdentical(a, b);
        Assert.False(ModelState.Of(a)["conv1.weight"].SequenceEqual(ModelState.Of(c)["conv1.weight"]));
    }
}
