using ProbeGrid.Analysis.Zoo;

namespace ProbeGrid.Tests.Zoo;

/// <summary>
/// <see cref="ModelZoo.TapShapes"/> derives every tap's shape from the configuration without
/// building the network; it must agree with a dry run of the built network.
/// </summary>
public class TapShapeTests
{
    private static Dictionary<string, string> Parameters(string text) =>
        text.Length == 0 ? [] : text.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    private static void AssertAgreesWithTheBuiltNetwork(string architecture, string parameters, long[] sampleShape, int classCount)
    {
        var config = Parameters(parameters);
        using var model = ModelZoo.Create(architecture, config, sampleShape, classCount, seed: 1);
        var built = model.TapShapes(sampleShape);

        var derived = ModelZoo.TapShapes(architecture, config, sampleShape, classCount);

        Assert.Equal(model.TapNames, derived.Keys.ToArray()); // every tap, in forward order
        foreach (var tap in model.TapNames)
            Assert.True(built[tap].SequenceEqual(derived[tap]),
                $"{tap}: derived [{string.Join(", ", derived[tap])}], the network reports [{string.Join(", ", built[tap])}]");
    }

    [Theory]
    [InlineData("", new long[] { 10 }, 2)]
    [InlineData("depth=3 width=7", new long[] { 2, 5 }, 4)]
    [InlineData("depth=4 width=5 activation=tanh skipFrom=0 skipTo=3", new long[] { 3, 2, 2 }, 3)]
    [InlineData("depth=6 width=9 auxHeadEvery=2 skipFrom=1 skipTo=5", new long[] { 1 }, 10)]
    public void Mlp_shapes_agree_with_a_dry_run(string parameters, long[] sampleShape, int classCount) =>
        AssertAgreesWithTheBuiltNetwork("mlp", parameters, sampleShape, classCount);

    [Theory]
    [InlineData("", new long[] { 1, 28, 28 }, 10)]
    [InlineData("channels1=4 channels2=6 hidden=16", new long[] { 3, 8, 12 }, 5)]
    [InlineData("channels1=2 channels2=3 hidden=5", new long[] { 8, 12 }, 3)]
    [InlineData("channels1=1 channels2=1 hidden=1", new long[] { 2, 4, 4 }, 2)]
    public void Convnet_shapes_agree_with_a_dry_run(string parameters, long[] sampleShape, int classCount) =>
        AssertAgreesWithTheBuiltNetwork("mnist-convnet", parameters, sampleShape, classCount);

    [Theory]
    [InlineData("width=4", new long[] { 1, 28, 28 }, 10)]
    [InlineData("width=3", new long[] { 1, 56, 56 }, 10)]
    [InlineData("width=2", new long[] { 28, 28 }, 4)]
    [InlineData("width=2", new long[] { 3, 9, 13 }, 5)]
    [InlineData("width=1", new long[] { 1, 1, 1 }, 2)]
    public void Resnet_shapes_agree_with_a_dry_run(string parameters, long[] sampleShape, int classCount) =>
        AssertAgreesWithTheBuiltNetwork("resnet18-small", parameters, sampleShape, classCount);

    [Theory]
    [InlineData("width=2 hidden=8", new long[] { 1, 28, 28 }, 10)]
    [InlineData("width=2 hidden=8", new long[] { 1, 56, 56 }, 10)]
    [InlineData("width=1 hidden=3", new long[] { 32, 32 }, 4)]
    [InlineData("width=1 hidden=3", new long[] { 2, 5, 17 }, 3)]
    [InlineData("width=1 hidden=1", new long[] { 1, 1, 1 }, 2)]
    public void Vgg_shapes_agree_with_a_dry_run(string parameters, long[] sampleShape, int classCount) =>
        AssertAgreesWithTheBuiltNetwork("vgg16-small", parameters, sampleShape, classCount);

    [Theory]
    [InlineData("depth=8 width=4", new long[] { 1, 28, 28 }, 10)]
    [InlineData("depth=14 width=2", new long[] { 3, 32, 32 }, 10)]
    [InlineData("depth=8 width=3", new long[] { 28, 28 }, 4)]
    [InlineData("depth=8 width=2", new long[] { 3, 9, 13 }, 5)]
    [InlineData("depth=8 width=1", new long[] { 1, 1, 1 }, 2)]
    [InlineData("depth=14 width=2 damageAfter=layer1.1 damageWidth=5", new long[] { 1, 28, 28 }, 10)]
    [InlineData("depth=8 width=3 damageAfter=layer2.0", new long[] { 3, 9, 13 }, 5)]
    public void Resnet_cifar_shapes_agree_with_a_dry_run(string parameters, long[] sampleShape, int classCount) =>
        AssertAgreesWithTheBuiltNetwork("resnet-cifar", parameters, sampleShape, classCount);

    [Fact]
    public void A_dry_run_leaves_batch_norm_statistics_and_the_mode_alone()
    {
        using var model = ModelZoo.Create("resnet18-small", Parameters("width=2"), [1, 8, 8], 2, seed: 1);
        var before = ModelState.Of(model);
        Assert.True(model.training);
        model.TapShapes([1, 8, 8]);
        Assert.True(model.training);
        Assert.All(ModelState.Of(model), p => Assert.Equal(before[p.Key], p.Value));
    }

    [Fact]
    public void A_network_far_too_large_to_build_has_its_shapes_all_the_same()
    {
        // 4096 layers of 65536 x 65536 weights would be about 70 TB of floats.
        var shapes = ModelZoo.TapShapes("mlp", Parameters($"depth={MlpConfig.MaxDepth} width={MlpConfig.MaxWidth}"), [784], 10);

        Assert.Equal(MlpConfig.MaxDepth + 2, shapes.Count);
        Assert.Equal([784L], shapes["input"]);
        Assert.Equal([(long)MlpConfig.MaxWidth], shapes[$"layer{MlpConfig.MaxDepth}"]);
        Assert.Equal([10L], shapes["logits"]);
    }

    [Fact]
    public void Invalid_arguments_are_refused_with_every_problem()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.TapShapes("mlp", Parameters("depth=0"), [], 1));

        Assert.Contains("'depth' = 0 is out of range", e.Message, StringComparison.Ordinal);
        Assert.Contains("sample shape []", e.Message, StringComparison.Ordinal);
        Assert.Contains("class count 1 is out of range", e.Message, StringComparison.Ordinal);
    }
}
