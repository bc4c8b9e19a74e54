using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.InfoDiscarding;

public class FeatureFunctionTests(ITestOutputHelper output)
{
    private static MlpModel Mlp()
    {
        using var generator = new Generator(5);
        return new MlpModel(new MlpConfig(2, 5, Activation.Tanh, 0, WeightInit.GlorotNormal, 0, 1.0, null, null), [6], 3, generator);
    }

    [Fact]
    public void A_tap_feature_is_the_activation_the_model_reports_and_SID_leaves_the_weights_without_gradients()
    {
        using var model = Mlp();
        model.train();
        var h = FeatureFunction.FromTap(model, "layer1");
        Assert.False(model.training); // the analysis runs the network as it predicts

        using var scope = torch.NewDisposeScope();
        var x = torch.linspace(-1, 1, 6);
        Tensor? reported = null;
        using (torch.no_grad())
            model.Forward(x.unsqueeze(0), (tap, activation) => { if (tap == "layer1") reported = activation.clone(); });
        var feature = h.Apply(x.unsqueeze(0));
        Assert.Equal([1L, 5L], feature.shape);
        Assert.Equal(reported!.data<float>().ToArray(), feature.data<float>().ToArray(), new Tolerance(1e-7));

        var sid = StrictInformationDiscarding.Estimate(h, x, new InfoDiscardingOptions { StepsPerRound = 100, EvaluationSamples = 512, NormalisingSamples = 512, Seed = 3 }, CancellationToken.None);
        output.WriteLine($"SID {sid.LayerEntropy:G4}, λ {sid.Lambda:G4}, ratio {sid.Ratio:G4}, rounds {sid.Rounds}, capped {sid.CappedCount}");
        Assert.True(sid.Converged);
        Assert.All(model.parameters(), p => Assert.True(p.grad is null, "a network parameter received a gradient"));
    }

    [Fact]
    public void An_unknown_tap_names_the_known_ones()
    {
        using var model = Mlp();
        var e = Assert.Throws<ArgumentException>(() => FeatureFunction.FromTap(model, "conv9"));
        Assert.Contains("no tap 'conv9'", e.Message);
        Assert.Contains("input, layer1, layer2, logits", e.Message);
    }
}
