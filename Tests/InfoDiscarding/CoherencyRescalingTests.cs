using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;

namespace ProbeGrid.Tests.InfoDiscarding;

/// <summary>The coherency check's weight change on a zoo network: the same function, conv1's feature a quarter; bad names refused with the known ones.</summary>
public class CoherencyRescalingTests
{
    private static TappedModel Convnet() => ModelZoo.Create("mnist-convnet",
        new Dictionary<string, string> { ["channels1"] = "4", ["channels2"] = "8", ["hidden"] = "16" }, [1, 28, 28], 10, seed: 5);

    [Fact]
    public void Rescaling_conv1_and_conv2_keeps_the_logits_and_quarters_conv1s_feature()
    {
        using var original = Convnet();
        using var rescaled = Convnet();
        CoherencyRescaling.Apply(rescaled, "conv1", "conv2", 4);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        original.eval();
        rescaled.eval();
        using var generator = new torch.Generator(2);
        var x = torch.rand([3, 1, 28, 28], generator: generator);
        var conv1 = new Dictionary<string, torch.Tensor>();
        var logits = original.Forward(x, (tap, a) => { if (tap == "conv1_pooling") conv1["original"] = a.clone(); });
        var rescaledLogits = rescaled.Forward(x, (tap, a) => { if (tap == "conv1_pooling") conv1["rescaled"] = a.clone(); });
        Assert.Equal(logits.data<float>().ToArray(), rescaledLogits.data<float>().ToArray());
        Assert.Equal(conv1["original"].div(4).data<float>().ToArray(), conv1["rescaled"].data<float>().ToArray());
    }

    [Fact]
    public void Unknown_layers_layers_that_do_not_chain_and_a_bad_factor_are_refused_together()
    {
        using var model = Convnet();
        var e = Assert.Throws<ArgumentException>(() => CoherencyRescaling.Apply(model, "conv3", "conv2", -1));
        Assert.Contains("the factor -1 must be a positive number", e.Message);
        Assert.Contains("no parameter 'conv3.weight'; layers with weights: conv1, conv2, fc1, fc2", e.Message);
        var chain = Assert.Throws<ArgumentException>(() => CoherencyRescaling.Apply(model, "conv2", "conv1", 4));
        Assert.Contains("'conv1' reads 1 inputs, not a multiple of the 8 outputs of 'conv2'", chain.Message);
    }
}
