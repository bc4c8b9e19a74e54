using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

/// <summary>The architecture registry: lookup by name, the checks it shares, and an architecture a user adds.</summary>
public class ArchitectureRegistryTests
{
    private const string BuiltInNames = "mlp, mnist-convnet, resnet18-small, vgg16-small, resnet-cifar, disentangler-net, resnet18, resnet34, resnet50, resnet101, " +
        "resnet152, resnext50_32x4d, resnext101_32x8d, resnext101_64x4d, wide_resnet50_2, wide_resnet101_2, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, " +
        "vgg19_bn, alexnet, googlenet, inception_v3, mobilenet_v2, mobilenet_v3_large, mobilenet_v3_small, torchscript";

    private static Dictionary<string, string> Parameters(string spec) =>
        spec.Length == 0 ? [] : spec.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    private static ArchitectureRegistry WithTwoLayer() => new([.. ArchitectureRegistry.BuiltInArchitectures(), new TwoLayerArchitecture()]);

    [Fact]
    public void Built_in_registry_lists_the_shipped_architectures_in_order()
    {
        Assert.Equal(BuiltInNames, string.Join(", ", ArchitectureRegistry.BuiltIn.Names));
        Assert.Equal(ArchitectureRegistry.BuiltIn.Names, ModelZoo.Architectures);
        Assert.True(ArchitectureRegistry.BuiltIn.TryGet("resnet-cifar", out var cifar));
        Assert.IsType<ResNetCifarArchitecture>(cifar);
        Assert.IsType<MlpArchitecture>(ArchitectureRegistry.BuiltIn.Get("mlp"));
    }

    [Fact]
    public void An_unknown_name_is_an_argument_error_listing_the_known_ones()
    {
        Assert.False(ArchitectureRegistry.BuiltIn.TryGet("resnet", out _));
        var error = Assert.Throws<ArgumentException>(() => ArchitectureRegistry.BuiltIn.Get("resnet"));
        Assert.StartsWith($"unknown architecture 'resnet'; known: {BuiltInNames}.", error.Message);
        Assert.Equal([$"unknown architecture 'resnet'; known: {BuiltInNames}."], ArchitectureRegistry.BuiltIn.ParameterProblems("resnet", Parameters("")));
    }

    [Fact]
    public void A_name_registered_twice_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ArchitectureRegistry([new MlpArchitecture(), new TwoLayerArchitecture(), new MlpArchitecture()]));
        Assert.Contains("two architectures are registered as 'mlp'", error.Message);
    }

    [Fact]
    public void Parameter_names_come_from_reading_the_parameters()
    {
        Assert.Equal(["depth", "width", "activation", "negativeSlope", "init", "auxHeadEvery", "auxLossWeight", "skipFrom", "skipTo"],
            ArchitectureRegistry.BuiltIn.ParameterNames("mlp"));
        Assert.Equal(["order", "width"], ArchitectureRegistry.BuiltIn.ParameterNames("disentangler-net"));
    }

    public static TheoryData<string, string, long[], long[]?> BuiltIns => new()
    {
        { "mlp", "depth=3 width=7 skipFrom=0 skipTo=2 auxHeadEvery=1", [2, 3], null },
        { "mnist-convnet", "channels1=3 channels2=4 hidden=9", [1, 8, 8], null },
        { "resnet18-small", "width=2", [3, 8, 8], null },
        { "vgg16-small", "width=2 hidden=6", [1, 12, 10], null },
        { "resnet-cifar", "depth=14 width=2 damageAfter=layer2.1 damageWidth=3", [3, 9, 7], null },
        { "disentangler-net", "order=4 width=0.03125", [1, 8, 8], [2, 4, 4] },
    };

    /// <summary>Shapes from the configuration alone (no network) equal what the built network reports in a dry run, tap for tap and in order.</summary>
    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void Tap_shapes_from_the_interface_equal_the_built_networks(string name, string spec, long[] sampleShape, long[]? targetShape)
    {
        var architecture = ArchitectureRegistry.BuiltIn.Get(name);
        var config = architecture.ReadParameters(new ModelParameterReader(name, Parameters(spec)));
        var declared = architecture.TapShapes(config, sampleShape, 3, targetShape);
        using var generator = new Generator(1);
        using var model = architecture.Build(config, sampleShape, 3, targetShape, generator);

        var measured = model.TapShapes(sampleShape);
        Assert.Equal(architecture.TapNames(config), model.TapNames);
        Assert.Equal(model.TapNames, declared.Keys);
        Assert.Equal(model.TapNames, measured.Keys);
        foreach (var tap in model.TapNames)
            Assert.True(declared[tap].SequenceEqual(measured[tap]), $"{name} tap {tap}: declared [{string.Join(", ", declared[tap])}], built [{string.Join(", ", measured[tap])}]");
    }

    /// <summary>The registry builds through the interface with a generator of the given seed: the same weights as building by hand.</summary>
    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void Create_builds_through_the_interface_with_the_seeded_generator(string name, string spec, long[] sampleShape, long[]? targetShape)
    {
        var architecture = ArchitectureRegistry.BuiltIn.Get(name);
        var config = architecture.ReadParameters(new ModelParameterReader(name, Parameters(spec)));
        using var generator = new Generator(23);
        using var byHand = architecture.Build(config, sampleShape, 3, targetShape, generator);
        using var created = ModelZoo.Create(name, Parameters(spec), sampleShape, 3, seed: 23, targetShape);
        ModelState.AssertIdentical(byHand, created);
    }

    [Fact]
    public void A_configuration_of_another_architecture_is_refused()
    {
        var mlpConfig = ArchitectureRegistry.BuiltIn.Get("mlp").ReadParameters(new ModelParameterReader("mlp", Parameters("")));
        var error = Assert.Throws<ArgumentException>(() => ArchitectureRegistry.BuiltIn.Get("vgg16-small").TapNames(mlpConfig));
        Assert.Contains("vgg16-small takes a Vgg16SmallConfig, not a MlpConfig", error.Message);
    }

    [Fact]
    public void A_user_architecture_is_checked_like_the_built_in_ones()
    {
        var registry = WithTwoLayer();
        Assert.Equal($"{BuiltInNames}, two-layer", string.Join(", ", registry.Names));
        Assert.Equal(["hidden"], registry.ParameterNames("two-layer"));
        Assert.Equal("4", registry.CanonicalParameters("two-layer", Parameters(""))["hidden"]);

        var problems = registry.Validate("two-layer", Parameters("Hidden=3 hidden=99"), [2, 2], targetShape: [1]);
        Assert.Equal(
        [
            "two-layer: parameter 'hidden' = 99 is out of range; allowed: an integer in [1, 64] (default 4).",
            "two-layer: unknown parameter 'Hidden' (did you mean 'hidden'?); allowed: hidden.",
            "two-layer: outputs class logits, but the data set has regression targets of shape [1] (MSE); use disentangler-net for regression data, or a data set with classes.",
            "two-layer: takes vectors, not samples of shape [2, 2].",
        ], problems);
        var tooFewClasses = Assert.Throws<ArgumentException>(() => registry.Create("two-layer", Parameters(""), [3], 1, seed: 0));
        Assert.Contains("two-layer: class count 1 is out of range; allowed: an integer in [2, 1000000].", tooFewClasses.Message);

        // The shipped registry does not know it: the user's registry is the only place it was added.
        Assert.Contains("unknown architecture 'two-layer'", Assert.Single(ModelZoo.Validate("two-layer", Parameters(""), [3])));
    }

    [Fact]
    public void A_user_architecture_is_built_from_its_seed_and_runs()
    {
        var registry = WithTwoLayer();
        using var scope = torch.NewDisposeScope();
        using var model = registry.Create("two-layer", Parameters("hidden=5"), [3], 2, seed: 3);
        using var again = registry.Create("two-layer", Parameters("hidden=5"), [3], 2, seed: 3);
        ModelState.AssertIdentical(model, again);

        // Its first weight is the first draw of a generator seeded 3: the seed reached the architecture unchanged.
        using var generator = new Generator(3);
        var firstDraw = torch.randn([5, 3], generator: generator);
        Assert.Equal(ModelState.Values(firstDraw), ModelState.Of(model)["first.weight"]);

        Assert.Equal(registry.TapShapes("two-layer", Parameters("hidden=5"), [3], 2), model.TapShapes([3]));
        var x = torch.tensor(new float[] { 1, -2, 0.5f, 0, 0, 0 }, [2, 3]);
        var logits = model.Forward(x, null);
        var hidden = torch.tanh(x.matmul(firstDraw.t()));
        using var fromHidden = model.ForwardFrom("hidden", hidden);
        Assert.Equal(ModelState.Values(logits), ModelState.Values(fromHidden));
        Assert.Equal([0f, 0f], ModelState.Values(logits)[2..]); // zero input, zero biases: zero logits
    }
}
