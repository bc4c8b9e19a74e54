using ProbeGrid.Analysis.Complexity;
using TorchSharp;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.Complexity;

public class DisentanglerTrainerTests(ITestOutputHelper output)
{
    [Fact]
    public void A_feature_that_is_linear_in_the_input_has_almost_all_its_significance_at_the_lowest_order()
    {
        // f(x) = a fixed random 3x3 convolution of x (no nonlinearity), on 1x8x8 inputs.
        const int train = 384, test = 128;
        long[] inputShape = [1, 8, 8], targetShape = [4, 8, 8];
        var random = new Random(2);
        float[] Inputs(int n) => Enumerable.Range(0, n * 64).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var (xTrain, xTest) = (Inputs(train), Inputs(test));
        float[] Feature(float[] x, int n)
        {
            using var scope = torch.NewDisposeScope();
            using var generator = new torch.Generator(3);
            var kernel = torch.randn([4, 1, 3, 3], generator: generator);
            var f = torch.nn.functional.conv2d(torch.tensor(x, [n, 1, 8, 8]), kernel, padding: [1, 1]);
            return f.data<float>().ToArray();
        }
        var (fTrain, fTest) = (Feature(xTrain, train), Feature(xTest, test));

        var options = new DisentanglerOptions { Orders = [1, 4], Width = 0.25, Epochs = 60, BatchSize = 32, InitialLearningRate = 3e-3, FinalLearningRate = 1e-4, Seed = 1 };
        var fits = DisentanglerTrainer.Train(new("train", xTrain, train), fTrain, inputShape, targetShape, [new("test", xTest, test)], options, CancellationToken.None);

        var parts = FeatureComponents.Decompose(fTest, test, fits.Select(f => (f.Order, f.Mimics["test"])).ToList());
        var rho = parts.Significance();
        output.WriteLine($"MSE {string.Join(", ", fits.Select(f => $"l={f.Order}: {f.TrainingLoss:G3}"))}; significance {string.Join(", ", rho.Select(r => r.ToString("F3")))}; " +
                         $"remainder {FeatureComponents.Variance(parts.Remainder, test, 256) / FeatureComponents.Variance(fTest, test, 256):F3}");
        Assert.True(rho[0] > 0.8, $"order 1 significance {rho[0]}");
        Assert.True(rho[1] < 0.1, $"order 4 significance {rho[1]}");
        Assert.Equal(fTest, parts.Reconstruct(), new Tolerance(1e-4));
    }

    [Fact]
    public void Bad_options_and_shapes_are_listed_together()
    {
        var e = Assert.Throws<ArgumentException>(() => DisentanglerTrainer.Train(new("train", new float[10], 2), new float[3], [1, 2, 2], [1, 2, 2],
            [], new DisentanglerOptions { Orders = [2], Epochs = 0 }, CancellationToken.None));
        Assert.Contains("order 2 must be 3m + 1", e.Message);
        Assert.Contains("epochs 0 must be at least 1", e.Message);
        Assert.Contains("sample set 'train' has 10 input values, not 2 x 4", e.Message);
        Assert.Contains("the feature has 3 values, not 2 x 4", e.Message);
    }
}
