using ProbeGrid.Analysis.InfoDiscarding;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.InfoDiscarding;

public class ReconstructionDecoderTests(ITestOutputHelper output)
{
    /// <summary>Smooth 1x8x8 images: a sum of three random low-frequency cosines each.</summary>
    private static float[] Images(int count, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * 64];
        for (var n = 0; n < count; n++)
            for (var k = 0; k < 3; k++)
            {
                var (amplitude, u, v, phase) = (random.NextDouble() * 2 - 1, random.NextDouble() * 0.8, random.NextDouble() * 0.8, random.NextDouble() * 2 * Math.PI);
                for (var i = 0; i < 8; i++)
                    for (var j = 0; j < 8; j++)
                        values[n * 64 + i * 8 + j] += (float)(amplitude * Math.Cos(u * i + v * j + phase));
            }
        return values;
    }

    /// <summary>The toy layer: a fixed random 3x3 conv to 4 channels, ReLU, 2x2 average pooling: [1, 8, 8] to [4, 4, 4].</summary>
    private static FeatureFunction Layer()
    {
        using var generator = new Generator(9);
        var kernel = (torch.randn([4, 1, 3, 3], generator: generator) * 0.5).DetachFromDisposeScope();
        return new FeatureFunction(x =>
        {
            using var scope = torch.NewDisposeScope();
            return nn.functional.avg_pool2d(nn.functional.relu(nn.functional.conv2d(x, kernel, padding: [1, 1])), 2).MoveToOuterDisposeScope();
        }, "conv-relu-pool");
    }

    private static float[] Features(FeatureFunction h, float[] images, int count)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        return h.Apply(torch.tensor(images, [count, 1, 8, 8])).contiguous().data<float>().ToArray();
    }

    [Fact]
    public void Training_reduces_the_reconstruction_error_well_below_the_mean_image_and_feeds_RU()
    {
        const int train = 256, test = 64;
        var h = Layer();
        var (xTrain, xTest) = (Images(train, 1), Images(test, 2));
        var (fTrain, fTest) = (Features(h, xTrain, train), Features(h, xTest, test));
        var options = new DecoderOptions { Blocks = 2, Width = 16, Epochs = 15, BatchSize = 32, InitialLearningRate = 3e-3, FinalLearningRate = 3e-4, Seed = 3 };
        using var decoder = new ReconstructionDecoder([4, 4, 4], [1, 8, 8], options);

        var before = DecoderTrainer.MeanSquaredError(decoder, fTest, xTest, test);
        var fit = DecoderTrainer.Train(decoder, fTrain, xTrain, train, options, CancellationToken.None);
        var after = DecoderTrainer.MeanSquaredError(decoder, fTest, xTest, test);
        // The error of always predicting the training set's mean image, per value.
        var mean = Enumerable.Range(0, 64).Select(p => Enumerable.Range(0, train).Average(n => xTrain[n * 64 + p])).ToArray();
        var baseline = Enumerable.Range(0, test * 64).Average(i => Math.Pow(xTest[i] - mean[i % 64], 2));
        output.WriteLine($"test MSE {before:G4} -> {after:G4}; mean-image MSE {baseline:G4}; epochs {string.Join(", ", fit.EpochLoss.Select(l => l.ToString("G3")))}");
        Assert.True(after < 0.25 * baseline, $"test MSE {after} vs mean-image {baseline}");
        Assert.True(after < 0.25 * before, $"test MSE {after} vs untrained {before}");

        // The trained decoder as RU's g, end to end on one test image.
        var ru = ReconstructionUncertainty.Estimate(h, decoder.AsFunction(), torch.tensor(xTest[..64], [1, 8, 8]),
            new InfoDiscardingOptions { StepsPerRound = 100, EvaluationSamples = 512, NormalisingSamples = 512, Seed = 1 }, CancellationToken.None);
        output.WriteLine($"RU {ru.LayerUncertainty:G4}, λ {ru.Lambda:G4}, ratio {ru.Ratio:G4}, rounds {ru.Rounds}, capped {ru.CappedCount}");
        Assert.Equal(64, ru.PixelUncertainty.Length);
        Assert.All(ru.PixelUncertainty, v => Assert.True(double.IsFinite(v)));
        Assert.True(Math.Abs(ru.Ratio / 1.5 - 1) <= 0.05 || !ru.Converged, $"a converged search must meet the tolerance: ratio {ru.Ratio}");
    }

    /// <summary>
    /// The coherency check for RU: a layer scaled by 1/4 (a power of two, so exactly) gives a decoder trained
    /// on it the very same weights and reconstructions, because features are divided by their RMS first.
    /// The weights travel through bytes (to the grid's shards) with that scale.
    /// </summary>
    [Fact]
    public void A_decoder_trained_on_a_rescaled_layer_reconstructs_the_same_and_survives_a_round_trip_through_bytes()
    {
        const int train = 64;
        var h = Layer();
        var x = Images(train, 1);
        var f = Features(h, x, train);
        var quarter = f.Select(v => v / 4).ToArray();
        var options = new DecoderOptions { Blocks = 1, Width = 8, Epochs = 2, BatchSize = 16, Seed = 3 };
        using var original = new ReconstructionDecoder([4, 4, 4], [1, 8, 8], options);
        using var rescaled = new ReconstructionDecoder([4, 4, 4], [1, 8, 8], options);
        var originalFit = DecoderTrainer.Train(original, f, x, train, options, CancellationToken.None);
        var rescaledFit = DecoderTrainer.Train(rescaled, quarter, x, train, options, CancellationToken.None);
        Assert.Equal(original.FeatureScale / 4, rescaled.FeatureScale);
        Assert.Equal(originalFit.EpochLoss, rescaledFit.EpochLoss);

        using var copy = ReconstructionDecoder.FromBytes([4, 4, 4], [1, 8, 8], options, original.ToBytes());
        Assert.Equal(original.FeatureScale, copy.FeatureScale);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = torch.tensor(f, [train, 4, 4, 4]);
        var expected = original.AsFunction()(batch).data<float>().ToArray();
        Assert.Equal(expected, rescaled.AsFunction()(batch / 4).data<float>().ToArray());
        Assert.Equal(expected, copy.AsFunction()(batch).data<float>().ToArray());

        // Weights of another shape are refused with the shapes named.
        var wrong = Assert.Throws<ArgumentException>(() => ReconstructionDecoder.FromBytes([8, 4, 4], [1, 8, 8], options, original.ToBytes()));
        Assert.Contains("feature [8, 4, 4]", wrong.Message);
    }

    [Fact]
    public void The_decoder_doubles_the_map_as_often_as_needed_and_resizes_the_rest()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var options = new DecoderOptions { Width = 4, Seed = 1 };
        using var fromSeven = new ReconstructionDecoder([8, 7, 7], [1, 28, 28], options);  // 2 doublings, exact
        using var fromThree = new ReconstructionDecoder([8, 3, 3], [3, 28, 28], options);  // 4 doublings (48), resized
        Assert.Equal([2, 1, 28, 28], fromSeven.forward(torch.zeros(2, 8, 7, 7)).shape);
        Assert.Equal([2, 3, 28, 28], fromThree.forward(torch.zeros(2, 8, 3, 3)).shape);

        var e = Assert.Throws<ArgumentException>(() => new ReconstructionDecoder([8, 1, 1], [1, 28, 28], options with { Blocks = 3, Epochs = 0 }));
        Assert.Contains("needs 5 doublings", e.Message);
        Assert.Contains("epochs 0 must be at least 1", e.Message);
        var flat = Assert.Throws<ArgumentException>(() => new ReconstructionDecoder([10], [1, 28, 28], options));
        Assert.Contains("reshape a flat feature", flat.Message);
    }

    [Fact]
    public void Training_data_of_the_wrong_size_is_refused_with_every_problem()
    {
        using var decoder = new ReconstructionDecoder([4, 4, 4], [1, 8, 8], new DecoderOptions { Blocks = 1, Width = 2 });
        var e = Assert.Throws<ArgumentException>(() => DecoderTrainer.Train(decoder, new float[10], new float[64], 2, new DecoderOptions { BatchSize = 0 }, CancellationToken.None));
        Assert.Contains("the features have 10 values, not 2 x 64", e.Message);
        Assert.Contains("the inputs have 64 values, not 2 x 64", e.Message);
        Assert.Contains("batchSize 0", e.Message);
    }
}
