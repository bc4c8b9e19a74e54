using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

/// <summary>"disentangler-net", the Task-n target DNN, and the explicit regression objective (MSE).</summary>
public class DisentanglerTargetNetTests
{
    private static readonly long[] Image = [1, 28, 28];
    private static readonly long[] Target = [64, 7, 7];

    private static Dictionary<string, string> P(string order = "4", string width = "0.0625") => new() { ["order"] = order, ["width"] = width };

    [Fact]
    public void Per_sample_mse_matches_hand_computed_values_and_its_mean_is_the_objective()
    {
        using var scope = torch.NewDisposeScope();
        var output = torch.tensor(new float[] { 1, 2, 3, 0, 0, 0 }, [2, 3]);
        var target = torch.tensor(new float[] { 1, 0, 0, 1, 1, 1 }, [2, 3]);

        // Sample 0: (0 + 4 + 9) / 3; sample 1: (1 + 1 + 1) / 3; the objective is their mean, 8/3.
        Assert.Equal([13f / 3, 1f], ModelState.Values(TappedModel.PerSampleObjective(output, target, TargetKind.Regression)), new Tolerance(1e-6));
        Assert.Equal(8.0 / 3, TappedModel.Objective(output, target, TargetKind.Regression).item<float>(), 5);

        // The same float tensor read by dtype alone is a label set (BCE), a different number: the kind must be explicit.
        Assert.NotEqual(8.0 / 3, TappedModel.Objective(output, target).item<float>(), 2);

        var wrongShape = Assert.Throws<ArgumentException>(() => TappedModel.Objective(output, torch.zeros(2, 1), TargetKind.Regression));
        Assert.Contains("with the output's shape [2, 3]", wrongShape.Message);
        Assert.Throws<ArgumentException>(() => TappedModel.Objective(output, torch.zeros([2, 3], ScalarType.Int64), TargetKind.Regression));
    }

    [Fact]
    public void Loss_from_any_tap_is_the_mse_to_the_target_and_per_sample_losses_average_to_it()
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create("disentangler-net", P(), Image, classCount: 0, seed: 3, targetShape: Target);
        model.eval();
        Assert.Equal(TargetKind.Regression, model.OutputKind);
        var x = ModelState.RandomBatch(1, 5, 1, 28, 28);
        var y = ModelState.RandomBatch(2, 5, 64, 7, 7);

        var features = new Dictionary<string, Tensor>();
        var output = model.Forward(x, (tap, a) => features[tap] = a);
        var expected = output.sub(y).pow(2).reshape(5, -1).mean([1]);
        foreach (var tap in new[] { "input", "stem", "layer2.0", "output" })
        {
            var perSample = model.PerSampleLossFrom(tap, features[tap], y);
            Assert.Equal(ModelState.Values(expected), ModelState.Values(perSample), new Tolerance(1e-5));
            Assert.Equal(perSample.mean().item<float>(), model.LossFrom(tap, features[tap], y).item<float>(), new Tolerance(1e-4));
        }
        Assert.Equal(model.LossFrom("input", x, y).item<float>(), model.TrainingLoss(x, y).item<float>(), new Tolerance(1e-4));
    }

    [Fact]
    public void Taps_follow_the_disentangler_layout()
    {
        Assert.Equal(["input", "stem", "layer1.0", "layer2.0", "layer3.0", "output"], ModelZoo.TapNames("disentangler-net", P()));
        Assert.Equal(21, ModelZoo.TapNames("disentangler-net", new Dictionary<string, string>()).Count); // order 19: 6 blocks a stage, 18 in all

        var fromConfig = ModelZoo.TapShapes("disentangler-net", P(), Image, 0, Target);
        using var model = ModelZoo.Create("disentangler-net", P(), Image, 0, seed: 1, targetShape: Target);
        var measured = model.TapShapes(Image);
        // width 1/16: 8, 16, 32 channels; stages 2 and 3 halve 28 → 14 → 7, the target's map.
        Assert.Equal([8L, 28, 28], fromConfig["stem"]);
        Assert.Equal([8L, 28, 28], fromConfig["layer1.0"]);
        Assert.Equal([16L, 14, 14], fromConfig["layer2.0"]);
        Assert.Equal([32L, 7, 7], fromConfig["layer3.0"]);
        Assert.Equal(Target, fromConfig["output"]);
        foreach (var (tap, shape) in measured) Assert.Equal(shape, fromConfig[tap]);

        // Order 1 (no blocks): the stem's 28x28 map is average-pooled to the target's 7x7.
        using var shallow = ModelZoo.Create("disentangler-net", P(order: "1"), Image, 0, seed: 1, targetShape: Target);
        Assert.Equal(Target, shallow.TapShapes(Image)["output"]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights()
    {
        using var a = ModelZoo.Create("disentangler-net", P(), Image, 0, seed: 5, targetShape: Target);
        using var b = ModelZoo.Create("disentangler-net", P(), Image, 0, seed: 5, targetShape: Target);
        ModelState.AssertIdentical(a, b);
    }

    [Fact]
    public void Regressor_and_classifiers_refuse_the_other_kind_of_data()
    {
        var noTarget = ModelZoo.Validate("disentangler-net", P(), Image);
        Assert.Contains("disentangler-net: regresses a real-valued target map (MSE), but the data set's samples carry classes or label sets", Assert.Single(noTarget));

        var classifier = ModelZoo.Validate("mlp", new Dictionary<string, string>(), Image, Target);
        Assert.Contains("mlp: outputs class logits, but the data set has regression targets of shape [64, 7, 7] (MSE); use disentangler-net", Assert.Single(classifier));

        var problems = ModelZoo.Validate("disentangler-net", P(order: "5", width: "0"), Image, [64, 56, 56]);
        Assert.Contains(problems, p => p.Contains("parameter 'order' = 5 is not 3m + 1 ReLU layers"));
        Assert.Contains(problems, p => p.Contains("parameter 'width' = 0 is out of range"));
        Assert.Contains(problems, p => p.Contains("the feature's map 56x56 is larger than the input's 28x28"));

        Assert.Throws<ArgumentException>(() => ModelZoo.Create("disentangler-net", P(), Image, 10, seed: 1));
    }
}
