using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

/// <summary>
/// <see cref="TappedModel.ForwardFrom"/> is the upper network of the feature-complexity analysis:
/// fed a tap's own activation it must give the full network's logits, at every tap.
/// </summary>
public class ForwardFromTests
{
    private static Dictionary<string, string> Parameters(string text) =>
        text.Length == 0 ? [] : text.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    /// <summary>A small network in eval mode with batch norm statistics moved off their initial values.</summary>
    private static TappedModel EvalModel(string architecture, string parameters, long[] sampleShape, int classCount)
    {
        var model = ModelZoo.Create(architecture, Parameters(parameters), sampleShape, classCount, seed: 3);
        ResNet18SmallTests.WarmUpBatchNorm(model, [6, .. sampleShape]);
        return model;
    }

    private static Dictionary<string, Tensor> Taps(TappedModel model, Tensor x, out Tensor logits)
    {
        var taps = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        logits = model.Forward(x, (name, activation) => taps[name] = activation);
        return taps;
    }

    public static TheoryData<string, string, long[], int> Networks => new()
    {
        { "mlp", "depth=4 width=6", [2, 5], 3 },
        { "mlp", "depth=6 width=5 auxHeadEvery=2", [7], 3 },
        { "mlp", "depth=5 width=4 skipFrom=1 skipTo=4", [6], 3 },
        { "mlp", "depth=4 width=4 activation=tanh skipFrom=0 skipTo=3", [3, 2, 2], 4 },
        { "mnist-convnet", "channels1=3 channels2=4 hidden=8", [12, 12], 3 },
        { "mnist-convnet", "channels1=2 channels2=3 hidden=5", [2, 8, 8], 4 },
        { "resnet18-small", "width=2", [1, 12, 12], 3 },
        { "resnet18-small", "width=2", [3, 9, 9], 5 },
        { "vgg16-small", "width=1 hidden=4", [28, 28], 3 },
        { "vgg16-small", "width=1 hidden=4", [2, 64, 64], 3 }, // stage 5 at 2x2: a max-pool before the global pool
        { "vgg16-small", "width=1 hidden=3", [2, 5, 17], 3 },
        { "resnet-cifar", "depth=8 width=2", [1, 28, 28], 10 },
        { "resnet-cifar", "depth=14 width=2", [3, 32, 32], 10 },
        { "resnet-cifar", "depth=20 width=2", [28, 28], 4 },
        { "resnet-cifar", "depth=8 width=2 damageAfter=layer1.0 damageWidth=3", [1, 12, 12], 5 },
        { "resnet-cifar", "depth=20 width=2 damageAfter=layer3.1", [3, 9, 9], 4 }, // the damage just before layer3.out_preact
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void From_every_tap_the_logits_are_those_of_the_full_forward(string architecture, string parameters, long[] sampleShape, int classCount)
    {
        using var scope = torch.NewDisposeScope();
        using var model = EvalModel(architecture, parameters, sampleShape, classCount);
        using var noGrad = torch.no_grad();
        var taps = Taps(model, ModelState.RandomBatch(11, [5, .. sampleShape]), out var logits);
        var expected = ModelState.Values(logits);

        Assert.NotEmpty(model.ForwardFromTaps);
        foreach (var tap in model.ForwardFromTaps)
        {
            var fromTap = model.ForwardFrom(tap, taps[tap]);
            Assert.Equal(logits.shape, fromTap.shape);
            var actual = ModelState.Values(fromTap);
            var largest = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
            Assert.True(largest <= 1e-6, $"{architecture} from '{tap}': logits differ by up to {largest}");
        }
    }

    [Theory]
    [MemberData(nameof(Networks))]
    public void The_loss_from_a_tap_is_the_task_loss_of_the_full_forward(string architecture, string parameters, long[] sampleShape, int classCount)
    {
        using var scope = torch.NewDisposeScope();
        using var model = EvalModel(architecture, parameters, sampleShape, classCount);
        using var noGrad = torch.no_grad();
        var taps = Taps(model, ModelState.RandomBatch(12, [6, .. sampleShape]), out var logits);
        var classes = torch.tensor(Enumerable.Range(0, 6).Select(i => (long)(i % classCount)).ToArray());
        var multiHot = (ModelState.RandomBatch(13, 6, classCount) > 0).to(ScalarType.Float32);

        foreach (var labels in new[] { classes, multiHot })
        {
            var expected = TappedModel.Objective(logits, labels).item<float>();
            var perSampleExpected = ModelState.Values(TappedModel.PerSampleObjective(logits, labels));
            Assert.Equal(expected, perSampleExpected.Average(), 1e-6);
            foreach (var tap in model.ForwardFromTaps)
            {
                Assert.Equal(expected, model.LossFrom(tap, taps[tap], labels).item<float>(), 1e-6);
                var perSample = model.PerSampleLossFrom(tap, taps[tap], labels);
                Assert.Equal([6L], perSample.shape);
                Assert.Equal(perSampleExpected, ModelState.Values(perSample), (a, b) => Math.Abs(a - b) <= 1e-6);
            }
        }
    }

    [Fact]
    public void The_loss_from_a_tap_leaves_auxiliary_heads_out()
    {
        using var scope = torch.NewDisposeScope();
        using var model = EvalModel("mlp", "depth=6 width=5 auxHeadEvery=2", [7], 3);
        using var noGrad = torch.no_grad();
        var x = ModelState.RandomBatch(14, 4, 7);
        var labels = torch.tensor(new long[] { 0, 1, 2, 0 });
        var taskLoss = model.LossFrom("input", x, labels).item<float>();
        Assert.Equal(TappedModel.Objective(model.forward(x), labels).item<float>(), taskLoss);
        Assert.True(model.TrainingLoss(x, labels).item<float>() > taskLoss + 1e-3, "the training loss adds the auxiliary heads' losses");
    }

    [Fact]
    public void From_the_logits_the_feature_comes_back_as_an_alias_the_caller_keeps()
    {
        using var scope = torch.NewDisposeScope();
        using var model = EvalModel("resnet-cifar", "depth=8 width=2", [1, 8, 8], 3);
        var feature = ModelState.RandomBatch(15, 4, 3);
        using (var result = model.ForwardFrom("logits", feature))
            Assert.Equal(ModelState.Values(feature), ModelState.Values(result));
        Assert.Equal(4L, feature.shape[0]); // still alive
    }

    [Fact]
    public void An_unknown_tap_is_an_error_listing_the_taps()
    {
        using var scope = torch.NewDisposeScope();
        using var model = EvalModel("mnist-convnet", "channels1=2 channels2=2 hidden=4", [1, 8, 8], 3);
        var error = Assert.Throws<ArgumentException>(() => model.ForwardFrom("conv3_preact", torch.zeros(1, 2, 4, 4)));
        Assert.Contains("no tap 'conv3_preact'", error.Message);
        Assert.Contains(string.Join(", ", MnistConvNetConfig.Taps), error.Message);
        Assert.Throws<ArgumentException>(() => model.LossFrom("Logits", torch.zeros(1, 3), torch.zeros(1, ScalarType.Int64)));
    }

    [Fact]
    public void Mlp_layers_a_skip_connection_jumps_over_cannot_be_a_start()
    {
        using var scope = torch.NewDisposeScope();
        using var model = EvalModel("mlp", "depth=5 width=4 skipFrom=1 skipTo=4", [6], 3);
        Assert.Equal(["input", "layer1", "layer4", "layer5", "logits"], model.ForwardFromTaps);

        var error = Assert.Throws<ArgumentException>(() => model.ForwardFrom("layer2", torch.zeros(2, 4)));
        Assert.Contains("tap 'layer2'", error.Message);
        Assert.Contains("skip connection carries layer 1's output into layer 4", error.Message);
        Assert.Contains("input, layer1, layer4, layer5, logits", error.Message);
        Assert.Throws<ArgumentException>(() => model.PerSampleLossFrom("layer3", torch.zeros(2, 4), torch.zeros(2, ScalarType.Int64)));
    }
}
