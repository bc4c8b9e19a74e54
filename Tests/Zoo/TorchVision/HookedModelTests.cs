using System.Reflection;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Analysis.Zoo.TorchVision;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo.TorchVision;

/// <summary>The hooked model over torchvision families: seeds, hooks, clones, tap order, ForwardFrom, auxiliary heads, input checks.</summary>
public class HookedModelTests
{
    private static Dictionary<string, string> Parameters(string spec) =>
        spec.Length == 0 ? [] : spec.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    private static HookedModel Build(string name, int side, string spec = "", long seed = 1) =>
        (HookedModel)ModelZoo.Create(name, Parameters(spec), [3, side, side], 5, seed);

    /// <summary>Every tap asked for, as aliases that outlive the forward.</summary>
    private static (Tensor Logits, Dictionary<string, Tensor> Taps) Run(TappedModel model, Tensor x, params string[] taps)
    {
        var seen = new Dictionary<string, Tensor>();
        var logits = model.Forward(x, (tap, activation) => seen[tap] = activation.alias(), taps.Length == 0 ? null : taps.ToHashSet());
        return (logits, seen);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what, double tolerance = 1e-5)
    {
        Assert.True(expected.shape.SequenceEqual(actual.shape), $"{what}: shapes differ");
        var scale = Math.Max(expected.abs().max().item<float>(), 1e-6f);
        var error = (expected - actual).abs().max().item<float>();
        Assert.True(error <= tolerance * scale, $"{what}: max |difference| {error:G4} against max |value| {scale:G4}");
    }

    private static int HookCount(nn.Module model)
    {
        var count = 0;
        foreach (var module in model.modules().Append(model))
        {
            for (var type = module.GetType(); type is not null; type = type.BaseType)
            {
                foreach (var name in new[] { "pre_hooks", "post_hooks" })
                    if (type.GetField(name, BindingFlags.Instance | BindingFlags.NonPublic) is { } field && field.GetValue(module) is System.Collections.ICollection hooks)
                        count += hooks.Count;
            }
        }
        return count;
    }

    [Fact]
    public void One_seed_gives_one_network_and_another_seed_another()
    {
        using var a = Build("googlenet", 32, seed: 7);
        using var b = Build("googlenet", 32, seed: 7);
        using var c = Build("googlenet", 32, seed: 8);
        ModelState.AssertIdentical(a, b);
        var (first, other) = (ModelState.Of(a), ModelState.Of(c));
        Assert.False(first["conv1.conv.weight"].SequenceEqual(other["conv1.conv.weight"]));
        Assert.False(first["aux2.fc2.weight"].SequenceEqual(other["aux2.fc2.weight"]));
    }

    [Fact]
    public void The_seeded_init_follows_torchvisions_scheme()
    {
        using var resnet = Build("resnet50", 32, "zeroInitResidual=true");
        var state = resnet.state_dict();
        // kaiming_normal_(fan_out): conv1 is [64, 3, 7, 7], fan_out 64 * 49.
        Assert.Equal(Math.Sqrt(2.0 / (64 * 49)), state["conv1.weight"].std().item<float>(), 0.002);
        Assert.Equal(0f, state["layer2.1.bn3.weight"].abs().max().item<float>());
        Assert.Equal(1f, state["layer2.1.bn2.weight"].min().item<float>());
        var bound = 1 / Math.Sqrt(2048);
        Assert.InRange(state["fc.weight"].abs().max().item<float>(), 0.9 * bound, bound);

        using var inception = Build("inception_v3", 75, "auxLogits=false");
        Assert.Equal(0.1, inception.state_dict()["Mixed_7c.branch3x3_1.conv.weight"].std().item<float>(), 0.002);

        // mobilenetv3.py: conv kaiming_normal_(fan_out) with zero biases (the squeeze-excitation's 1x1 convs too), BN 1 / 0, linear normal(0, 0.01).
        using var mobilenet = Build("mobilenet_v3_small", 32);
        var weights = mobilenet.state_dict();
        Assert.Equal(Math.Sqrt(2.0 / 576), weights["features.12.0.weight"].std().item<float>(), 0.002);
        Assert.Equal(Math.Sqrt(2.0 / 144), weights["features.10.block.2.fc1.weight"].std().item<float>(), 0.002);
        Assert.Equal(0f, weights["features.10.block.2.fc1.bias"].abs().max().item<float>());
        Assert.Equal(0.01, weights["classifier.0.weight"].std().item<float>(), 0.0005);
        Assert.Equal(0f, weights["classifier.3.bias"].abs().max().item<float>());
        Assert.Equal(1f, weights["features.5.block.1.1.weight"].min().item<float>());
    }

    [Fact]
    public void State_dict_keys_are_the_networks_own()
    {
        using var model = Build("resnet18", 32);
        var keys = model.state_dict().Keys.ToHashSet();
        Assert.Contains("layer1.0.bn1.running_mean", keys);
        Assert.Contains("layer1.0.bn1.num_batches_tracked", keys);
        Assert.Contains("fc.bias", keys);
        Assert.Equal(model.Network.state_dict().Keys.Order(), keys.Order());
        Assert.Equal(model.Network.parameters().Count(), model.parameters().Count());
    }

    [Fact]
    public void Hooks_are_removed_after_a_forward_and_after_an_exception()
    {
        using var model = Build("resnet18", 32);
        var before = HookCount(model);
        using var x = ModelState.RandomBatch(1, 2, 3, 32, 32);
        using (var _ = torch.NewDisposeScope())
            Run(model, x);
        Assert.Equal(before, HookCount(model));

        using var failing = new HookedModel("failing", new FailingNet(), [3, 4, 4]);
        ((FailingNet)failing.Network).Fail = true;
        var error = Assert.Throws<InvalidOperationException>(() => Run(failing, torch.zeros(1, 3, 4, 4), "conv", "conv:input"));
        Assert.Equal("failed on purpose", error.Message);
        Assert.Equal(0, HookCount(failing));
    }

    [Fact]
    public void A_tap_is_a_clone_that_later_in_place_work_leaves_alone()
    {
        using var model = Build("resnet18", 32);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = ModelState.RandomBatch(2, 2, 3, 32, 32);
        // BasicBlock adds the identity into bn2's output and applies ReLU in place: the tap must be bn2's own output.
        var (_, taps) = Run(model, x, "layer1.0.conv2", "layer1.0.bn2");
        var bn2 = (nn.Module<Tensor, Tensor>)model.named_modules().Single(m => m.name == "layer1.0.bn2").module;
        AssertClose(bn2.call(taps["layer1.0.conv2"]), taps["layer1.0.bn2"], "layer1.0.bn2");
        Assert.True(taps["layer1.0.bn2"].min().item<float>() < 0, "bn2's output has negatives before the block's ReLU");
    }

    [Fact]
    public void Taps_are_in_order_of_first_call_with_each_input_right_before_its_module()
    {
        using var model = Build("resnet18", 32);
        var names = model.TapNames;
        Assert.Equal(["input", "conv1:input", "conv1", "bn1:input", "bn1", "relu:input", "relu", "maxpool:input", "maxpool", "layer1:input", "layer1",
            "layer1.0:input", "layer1.0", "layer1.0.conv1:input", "layer1.0.conv1"], names.Take(15));
        Assert.Equal(["fc:input", "fc", "logits"], names.TakeLast(3));
        Assert.Equal(names, ArchitectureRegistry.BuiltIn.TapNames("resnet18", Parameters("")));
        Assert.True(names.ToList().IndexOf("layer3.1.conv2") < names.ToList().IndexOf("layer3.1.bn2"));

        using var inception = Build("inception_v3", 299);
        var order = inception.TapNames.ToList();
        // The auxiliary head runs on Mixed_6e's output: its taps follow Mixed_6e's tree and come before Mixed_7a.
        Assert.True(order.IndexOf("Mixed_6e.branch_pool.relu") < order.IndexOf("AuxLogits:input"));
        Assert.True(order.IndexOf("AuxLogits.fc") < order.IndexOf("Mixed_7a:input"));
    }

    [Fact]
    public void An_input_tap_equals_the_output_of_the_module_before_it()
    {
        using var model = Build("resnet18", 32);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (_, taps) = Run(model, ModelState.RandomBatch(3, 2, 3, 32, 32), "layer1", "layer2:input", "layer1.0.relu1", "layer1.0.conv2:input", "input", "conv1:input");
        Assert.True(taps["layer1"].allclose(taps["layer2:input"], rtol: 0, atol: 0));
        Assert.True(taps["layer1.0.relu1"].allclose(taps["layer1.0.conv2:input"], rtol: 0, atol: 0));
        Assert.True(taps["input"].allclose(taps["conv1:input"], rtol: 0, atol: 0));
    }

    [Fact]
    public void A_module_that_runs_twice_per_forward_is_refused_as_a_tap()
    {
        var relu = nn.ReLU();
        using var model = new HookedModel("shared", nn.Sequential(nn.Conv2d(3, 4, 1), relu, nn.Conv2d(4, 4, 1), relu), [3, 4, 4]);
        Assert.DoesNotContain("1", model.TapNames);
        Assert.DoesNotContain("3:input", model.TapNames);
        Assert.Contains("2", model.TapNames);
        Assert.Equal(2, model.Describe().Single(m => m.Path == "1").CallsPerForward);
        var error = Assert.Throws<ArgumentException>(() => Run(model, torch.zeros(1, 3, 4, 4), "1"));
        Assert.Contains("'1' is not a tap: module '1' runs 2 times per forward", error.Message);
        var unknown = Assert.Throws<ArgumentException>(() => Run(model, torch.zeros(1, 3, 4, 4), "2.weight"));
        Assert.Contains("no tap '2.weight'", unknown.Message);
    }

    [Fact]
    public void Default_taps_are_the_main_stages()
    {
        Assert.Equal(["conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"],
            ArchitectureRegistry.BuiltIn.DefaultTaps("resnet18", Parameters("")));
        Assert.Equal(["Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "maxpool1", "Conv2d_3b_1x1", "Conv2d_4a_3x3", "maxpool2", "Mixed_5b", "Mixed_5c", "Mixed_5d",
                "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e", "AuxLogits", "Mixed_7a", "Mixed_7b", "Mixed_7c", "avgpool", "fc"],
            ArchitectureRegistry.BuiltIn.DefaultTaps("inception_v3", Parameters("")));
        // The features of VGG, alexnet and the mobilenets are unrolled: one tap per layer or block, as the stages of the other families.
        Assert.Equal([.. Enumerable.Range(0, 21).Select(i => $"features.{i}"), "avgpool", "classifier"], ArchitectureRegistry.BuiltIn.DefaultTaps("vgg11", Parameters("")));
        Assert.Equal([.. Enumerable.Range(0, 13).Select(i => $"features.{i}"), "avgpool", "classifier"], ArchitectureRegistry.BuiltIn.DefaultTaps("alexnet", Parameters("")));
        Assert.Equal([.. Enumerable.Range(0, 19).Select(i => $"features.{i}"), "classifier"], ArchitectureRegistry.BuiltIn.DefaultTaps("mobilenet_v2", Parameters("")));
        Assert.Equal([.. Enumerable.Range(0, 17).Select(i => $"features.{i}"), "avgpool", "classifier"],
            ArchitectureRegistry.BuiltIn.DefaultTaps("mobilenet_v3_large", Parameters("")));
        Assert.Equal([.. Enumerable.Range(0, 13).Select(i => $"features.{i}"), "avgpool", "classifier"],
            ArchitectureRegistry.BuiltIn.DefaultTaps("mobilenet_v3_small", Parameters("reducedTail=true")));
    }

    [Fact]
    public void An_unrolled_stage_must_be_a_top_level_sequential()
    {
        var error = Assert.Throws<ArgumentException>(() => new HookedModel("net", nn.Sequential(("body", nn.Sequential(nn.Conv2d(3, 4, 1)))), [3, 4, 4],
            unrolledStages: ["body.0"]));
        Assert.Contains("unrolled stage 'body.0' is not a top-level Sequential", error.Message);
        using var model = new HookedModel("net", nn.Sequential(("body", nn.Sequential(nn.Conv2d(3, 4, 1), nn.ReLU())), ("head", nn.Flatten())), [3, 4, 4],
            unrolledStages: ["body"]);
        Assert.Equal(["body.0", "body.1"], model.DefaultTaps);
    }

    [Fact]
    public void The_training_loss_adds_each_auxiliary_heads_weighted_loss()
    {
        using var model = Build("googlenet", 32);
        model.eval(); // deterministic: no dropout, batch norm on running statistics
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = ModelState.RandomBatch(4, 2, 3, 32, 32);
        var labels = torch.tensor(new long[] { 1, 3 });
        var (logits, taps) = Run(model, x, "aux1", "aux2", "logits");
        var byHand = TappedModel.Objective(logits, labels) + 0.3 * TappedModel.Objective(taps["aux1"], labels) + 0.3 * TappedModel.Objective(taps["aux2"], labels);
        Assert.Equal(byHand.item<float>(), model.TrainingLoss(x, labels).item<float>(), 5);

        using var inception = Build("inception_v3", 299);
        inception.eval();
        var image = ModelState.RandomBatch(5, 2, 3, 299, 299);
        var (main, heads) = Run(inception, image, "AuxLogits", "logits");
        var expected = TappedModel.Objective(main, labels) + 0.4 * TappedModel.Objective(heads["AuxLogits"], labels);
        Assert.Equal(expected.item<float>(), inception.TrainingLoss(image, labels).item<float>(), 5);
        Assert.NotEqual(TappedModel.Objective(main, labels).item<float>(), expected.item<float>(), 5);
    }

    [Fact]
    public void Training_runs_the_auxiliary_heads_and_gradients_reach_them()
    {
        using var model = Build("googlenet", 32);
        model.train();
        var x = ModelState.RandomBatch(6, 2, 3, 32, 32);
        using var loss = model.TrainingLoss(x, torch.tensor(new long[] { 0, 4 }));
        loss.backward();
        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.True(grads["aux1.fc2.weight"] is { } g1 && g1.abs().sum().item<float>() > 0);
        Assert.True(grads["fc.weight"] is { } g2 && g2.abs().sum().item<float>() > 0);

        // mobilenet_v3 works in place (Hardswish, the residual add): gradients still reach the stem and the squeeze-excitations.
        using var mobilenet = Build("mobilenet_v3_small", 32);
        mobilenet.train();
        using var mobileLoss = mobilenet.TrainingLoss(ModelState.RandomBatch(6, 2, 3, 32, 32), torch.tensor(new long[] { 0, 4 }));
        mobileLoss.backward();
        var mobileGrads = mobilenet.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        Assert.True(mobileGrads["features.0.0.weight"] is { } g3 && g3.abs().sum().item<float>() > 0);
        Assert.True(mobileGrads["features.4.block.2.fc2.weight"] is { } g4 && g4.abs().sum().item<float>() > 0);
    }

    public static TheoryData<string, int, string, string[]> ForwardFromCases => new()
    {
        { "resnet18", 32, "", ["conv1:input", "maxpool", "layer3", "layer3.1", "layer3.1:input", "layer4.0", "avgpool", "fc:input", "logits", "input"] },
        { "inception_v3", 75, "auxLogits=false transformInput=true", ["Conv2d_1a_3x3:input", "Conv2d_2b_3x3.bn", "Mixed_6b", "Mixed_7c", "dropout"] },
        { "googlenet", 32, "", ["conv3.relu:input", "inception4b", "maxpool4", "fc:input"] },
        { "vgg11_bn", 32, "", ["features.12", "features.13:input", "avgpool", "classifier.1"] },
        { "mobilenet_v2", 32, "widthMult=0.5", ["features.3", "features.18.1", "classifier.0"] },
        { "alexnet", 63, "", ["features.7", "classifier.2"] },
        { "mobilenet_v3_large", 32, "", ["features.0.1", "features.0.2", "features.3", "features.12", "features.16.2", "avgpool", "classifier.2"] },
        { "mobilenet_v3_small", 40, "widthMult=0.5 reducedTail=true dilated=true", ["features.0:input", "features.1", "features.11:input", "features.12.0", "classifier.0"] },
    };

    [Theory]
    [MemberData(nameof(ForwardFromCases))]
    public void Running_from_a_tap_on_its_activation_gives_the_forwards_logits(string name, int side, string spec, string[] starts)
    {
        using var model = Build(name, side, spec);
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = ModelState.RandomBatch(7, 2, 3, side, side);
        var (logits, taps) = Run(model, x, starts);
        foreach (var start in starts)
        {
            Assert.Contains(start, model.ForwardFromTaps);
            var activation = taps[start].clone();
            AssertClose(logits, model.ForwardFrom(start, activation), $"{name} from {start}");
            AssertClose(taps[start], activation, $"{name} from {start} left its feature alone", 0);
        }
    }

    [Fact]
    public void Running_from_a_tap_a_skip_connection_jumps_over_is_refused()
    {
        using var model = Build("resnet18", 32);
        Assert.DoesNotContain("layer3.1.conv2", model.ForwardFromTaps);
        var error = Assert.Throws<ArgumentException>(() => model.ForwardFrom("layer3.1.conv2", torch.zeros(1, 256, 2, 2)));
        Assert.Contains("cannot run from 'layer3.1.conv2'", error.Message);
        Assert.Contains("layer3.1", error.Message);
    }

    [Fact]
    public void Describe_lists_each_module_with_shapes_calls_and_where_forward_from_can_start()
    {
        var architecture = (TorchVisionArchitecture)ArchitectureRegistry.BuiltIn.Get("resnet18");
        var config = architecture.Read(new ModelParameterReader("resnet18", Parameters("")));
        var modules = architecture.Describe(config, [3, 32, 32], 5).ToDictionary(m => m.Path);
        Assert.Equal(("Sequential", 1, true, true), (modules["layer3"].ModuleType, modules["layer3"].CallsPerForward, modules["layer3"].CanForwardFrom, modules["layer3"].IsDefaultTap));
        Assert.Equal([128, 4, 4], modules["layer3"].InputShape!);
        Assert.Equal([256, 2, 2], modules["layer3"].OutputShape!);
        Assert.Equal(("Conv2d", false, false, 1), (modules["layer3.1.conv2"].ModuleType, modules["layer3.1.conv2"].CanForwardFrom, modules["layer3.1.conv2"].IsDefaultTap,
            modules["layer3.1.conv2"].CallsPerForward));
        Assert.Equal("BasicBlock", modules["layer3.1"].ModuleType);

        // mobilenet_v3 lists torchvision's module types; a block's inside is no start (its residual add goes around it), a Conv2dNormActivation's is.
        var mobilenet = (TorchVisionArchitecture)ArchitectureRegistry.BuiltIn.Get("mobilenet_v3_large");
        var layers = mobilenet.Describe(mobilenet.Read(new ModelParameterReader("mobilenet_v3_large", Parameters(""))), [3, 32, 32], 5).ToDictionary(m => m.Path);
        Assert.Equal(("InvertedResidual", true, true), (layers["features.5"].ModuleType, layers["features.5"].CanForwardFrom, layers["features.5"].IsDefaultTap));
        Assert.Equal(("Sequential", false), (layers["features.5.block"].ModuleType, layers["features.5.block"].CanForwardFrom));
        Assert.Equal("SqueezeExcitation", layers["features.5.block.2"].ModuleType);
        Assert.Equal(("Conv2dNormActivation", "Hardswish", true), (layers["features.16"].ModuleType, layers["features.16.2"].ModuleType, layers["features.16.2"].CanForwardFrom));
        Assert.Equal([40, 4, 4], layers["features.5"].OutputShape!);
        Assert.Equal([960, 1, 1], layers["features.16"].OutputShape!);
    }

    [Fact]
    public void Tap_shapes_from_the_architecture_equal_the_built_networks()
    {
        var declared = ModelZoo.TapShapes("googlenet", Parameters(""), [3, 40, 36], 5);
        using var model = ModelZoo.Create("googlenet", Parameters(""), [3, 40, 36], 5, 1);
        var measured = model.TapShapes([3, 40, 36]);
        Assert.Equal(model.TapNames, declared.Keys);
        Assert.Equal(measured.Keys, declared.Keys);
        foreach (var tap in measured.Keys)
            Assert.Equal(measured[tap], declared[tap]);
        Assert.Equal([5], declared["aux1"]);
    }

    [Fact]
    public void Data_problems_name_the_minimum_size_and_the_fix()
    {
        Assert.Equal(
            ["inception_v3: images of 75x75 are too small; inception_v3 needs at least 299x299 (its auxiliary head (auxLogits=true) pools Mixed_6e 5x5 / 3 and " +
             "convolves 5x5, which needs Mixed_6e at 17x17; with auxLogits=false it takes 75x75). Resize the images to at least 299x299, or set auxLogits=false."],
            ModelZoo.Validate("inception_v3", Parameters(""), [3, 75, 75]));
        Assert.Empty(ModelZoo.Validate("inception_v3", Parameters("auxLogits=false"), [3, 75, 75]));
        Assert.Contains("needs at least 32x32", Assert.Single(ModelZoo.Validate("vgg11", Parameters(""), [3, 31, 64])));
        Assert.Contains("takes RGB images of shape [3, height, width]", Assert.Single(ModelZoo.Validate("resnet18", Parameters(""), [1, 28, 28])));
        Assert.Equal(["googlenet: parameter 'auxLogits' = 'maybe' is not allowed; allowed: true, false (default true)."],
            ModelZoo.ParameterProblems("googlenet", Parameters("auxLogits=maybe")));
        Assert.Equal(["dropout", "dropoutAux", "auxLogits", "transformInput"], ArchitectureRegistry.BuiltIn.ParameterNames("googlenet"));
        Assert.Equal(["dropout", "widthMult", "reducedTail", "dilated"], ArchitectureRegistry.BuiltIn.ParameterNames("mobilenet_v3_small"));
        Assert.Empty(ModelZoo.Validate("mobilenet_v3_large", Parameters(""), [3, 1, 1]));
    }

    [Fact]
    public void A_batch_of_another_sample_shape_is_refused()
    {
        using var model = Build("resnet18", 32);
        var error = Assert.Throws<ArgumentException>(() => model.Forward(torch.zeros(1, 3, 16, 16), null));
        Assert.Contains("built for samples of shape [3, 32, 32] but got a batch of shape [1, 3, 16, 16]", error.Message);
    }

    /// <summary>A network whose forward fails after its first module ran (with its hooks).</summary>
    private sealed class FailingNet : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = nn.Conv2d(3, 2, 1);

        public FailingNet() : base("failing") => RegisterComponents();

        public bool Fail { get; set; }

        public override Tensor forward(Tensor x)
        {
            var y = conv.call(x);
            return Fail ? throw new InvalidOperationException("failed on purpose") : y;
        }
    }
}
