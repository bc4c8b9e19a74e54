using ProbeGrid.Analysis.Zoo;

namespace ProbeGrid.Tests.Zoo;

public class ModelZooTests
{
    [Fact]
    public void Lists_its_architectures()
    {
        Assert.Equal(["mlp", "mnist-convnet", "resnet18-small", "vgg16-small", "resnet-cifar", "disentangler-net",
            .. Analysis.Zoo.TorchVision.TorchVisionFamilies.All.Select(f => f.Name)], ModelZoo.Architectures);
    }

    [Fact]
    public void Unknown_architecture_lists_the_known_ones()
    {
        var problems = ModelZoo.Validate("resnet", new Dictionary<string, string>(), [1, 28, 28]);
        var problem = Assert.Single(problems);
        Assert.Contains("'resnet'", problem);
        Assert.Contains("mlp, mnist-convnet, resnet18-small, vgg16-small, resnet-cifar", problem);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var parameters = new Dictionary<string, string>
        {
            ["depth"] = "zero",
            ["width"] = "0",
            ["activation"] = "gelu",
            ["Init"] = "glorot_normal",
            ["skipFrom"] = "0",
            ["negativeSlope"] = "0,5",
        };
        var problems = ModelZoo.Validate("mlp", parameters, []);

        Assert.Contains(problems, p => p.Contains("'depth' = 'zero' is not an integer") && p.Contains("[1, 4096]"));
        Assert.Contains(problems, p => p.Contains("'width' = 0 is out of range") && p.Contains("[1, 65536]"));
        Assert.Contains(problems, p => p.Contains("'activation' = 'gelu'") && p.Contains("leaky_relu, relu, tanh, sigmoid"));
        Assert.Contains(problems, p => p.Contains("unknown parameter 'Init'") && p.Contains("did you mean 'init'") && p.Contains("allowed: depth, width"));
        Assert.Contains(problems, p => p.Contains("'skipFrom' and 'skipTo' go together"));
        Assert.Contains(problems, p => p.Contains("'negativeSlope' = '0,5' is not a number"));
        Assert.Contains(problems, p => p.Contains("sample shape []"));
        Assert.Equal(7, problems.Count);
    }

    [Theory]
    [InlineData("skipFrom=0 skipTo=1", "jump over at least one layer")]
    [InlineData("skipFrom=0 skipTo=9", "past the last hidden layer")]
    [InlineData("auxHeadEvery=8", "gives no auxiliary head with depth 8")]
    [InlineData("auxLossWeight=2", "needs auxHeadEvery > 0")]
    [InlineData("activation=relu negativeSlope=0.1", "applies only to activation=leaky_relu")]
    public void Inconsistent_mlp_parameters_are_explained(string spec, string expected)
    {
        var parameters = spec.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        parameters["depth"] = "8";
        var problem = Assert.Single(ModelZoo.Validate("mlp", parameters, [10]));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void Values_are_invariant_culture_strings()
    {
        var parameters = new Dictionary<string, string> { ["depth"] = "4", ["auxHeadEvery"] = "2", ["auxLossWeight"] = "0.25", ["negativeSlope"] = "1e-1" };
        Assert.Empty(ModelZoo.Validate("mlp", parameters, [3]));
        var canonical = ModelZoo.CanonicalParameters("mlp", parameters);
        Assert.Equal("0.25", canonical["auxLossWeight"]);
        Assert.Equal("0.1", canonical["negativeSlope"]);
        Assert.Equal("128", canonical["width"]); // defaults filled in
    }

    [Fact]
    public void Convnet_needs_image_sides_divisible_by_four()
    {
        Assert.Contains("divisible by 4", Assert.Single(ModelZoo.Validate("mnist-convnet", new Dictionary<string, string>(), [1, 30, 30])));
        Assert.Contains("[channels, height, width]", Assert.Single(ModelZoo.Validate("mnist-convnet", new Dictionary<string, string>(), [784])));
        Assert.Empty(ModelZoo.Validate("mnist-convnet", new Dictionary<string, string>(), [1, 28, 28]));
    }

    [Fact]
    public void Create_and_TapNames_refuse_invalid_input_with_all_problems()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ModelZoo.Create("mlp", new Dictionary<string, string> { ["depth"] = "-1", ["bogus"] = "1" }, [10], 1, seed: 0));
        Assert.Contains("3 problems", error.Message);
        Assert.Contains("class count 1", error.Message);
        Assert.Throws<ArgumentException>(() => ModelZoo.TapNames("mlp", new Dictionary<string, string> { ["depth"] = "x" }));
    }

    [Fact]
    public void Tap_names_are_cheap_even_for_the_papers_128_layer_model()
    {
        var names = ModelZoo.TapNames("mlp", new Dictionary<string, string> { ["depth"] = "128" });
        Assert.Equal(130, names.Count);
        Assert.Equal("layer128", names[^2]);
    }
}
