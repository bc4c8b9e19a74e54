using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Transport;
using ProbeGrid.Grains.Analyses;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;
using TorchSharp;

namespace ProbeGrid.Tests.Transport;

/// <summary>
/// The internal classifiers on taps of very different magnitudes, as a deep network's count-sketched taps are: SGD at the
/// paper's learning rate diverges on the large one and keeps its zero start (which the job reports), unless the features
/// are standardised.
/// </summary>
public class WassersteinStandardizeTests
{
    private const int Rows = 200;
    private const int Width = 8;

    /// <summary>
    /// Two classes that overlap on feature 0 (shifted ±1, uniform noise ±1.5: the best error is 1/6), every feature times
    /// <paramref name="scale"/>. With overlap, a diverged classifier's huge logits make its validation loss far above ln 2.
    /// </summary>
    private static (LayerFeatures Layer, long[] Labels) Split(string tap, double scale, int seed, int rows)
    {
        var random = new Random(seed);
        var labels = new long[rows];
        var data = new float[rows * Width];
        for (var r = 0; r < rows; r++)
        {
            labels[r] = r % 2;
            for (var c = 0; c < Width; c++) data[r * Width + c] = (float)(scale * (1.5 * (random.NextDouble() * 2 - 1) + (c == 0 ? 2.0 * labels[r] - 1 : 0)));
        }
        var matrix = new FeatureMatrix(data, rows, Width);
        return (new LayerFeatures(tap, matrix, matrix, matrix), labels);
    }

    private static CheckpointActivations Activations()
    {
        LayerFeatures Layer(string tap, double scale)
        {
            var (train, _) = Split(tap, scale, 1, Rows);
            var (validation, _) = Split(tap, scale, 2, Rows);
            var (test, _) = Split(tap, scale, 3, Rows);
            return new LayerFeatures(tap, train.Train, validation.Train, test.Train);
        }
        var labels = Split("x", 1, 1, Rows).Labels;
        var layers = new Dictionary<string, LayerFeatures> { ["small"] = Layer("small", 1), ["large"] = Layer("large", 1e4) };
        return new CheckpointActivations(layers, labels, labels, labels, ClassCount: 2);
    }

    private static readonly LayerRef[] Layers = [new("small", 1, Width), new("large", 2, Width)];

    private static WassersteinJob.Result Run(bool standardize) => WassersteinJob.Run(Activations(), Layers,
        WassersteinAnalysis.ClassifierDefaults with { MaxEpochs = 20, Patience = 20, BatchSize = 50 }, new WassersteinOptions(), standardize,
        torch.CPU, CancellationToken.None);

    [Fact]
    public void Sgd_at_the_papers_rate_keeps_the_zero_start_on_large_features_and_the_job_names_that_tap()
    {
        var result = Run(standardize: false);
        Assert.Equal(["large"], WassersteinJob.UntrainedClassifiers(result));
        Assert.True(result.Classifiers["small"].TestError < 0.25, $"small: test error {result.Classifiers["small"].TestError}");
    }

    [Fact]
    public void Standardised_features_let_one_learning_rate_train_every_tap()
    {
        var result = Run(standardize: true);
        Assert.Empty(WassersteinJob.UntrainedClassifiers(result));
        foreach (var tap in new[] { "small", "large" })
            Assert.True(result.Classifiers[tap].TestError < 0.25, $"{tap}: test error {result.Classifiers[tap].TestError}");
        // The classifiers on the same features up to scale agree once standardised.
        Assert.Equal(result.Classifiers["small"].TestError, result.Classifiers["large"].TestError, 0.011); // at most 2 of 200 samples: float32 rounding
    }

    [Fact]
    public void Standardising_gives_the_training_split_zero_mean_and_unit_population_scale_per_feature()
    {
        var train = Split("t", 1e4, 1, Rows).Layer.Train;
        var standardised = FeatureStandardization.Of(train).Apply(train);
        for (var c = 0; c < Width; c++)
        {
            var column = Enumerable.Range(0, Rows).Select(r => (double)standardised.Row(r)[c]).ToArray();
            var mean = column.Average();
            Assert.Equal(0, mean, 1e-5);
            Assert.Equal(1, Math.Sqrt(column.Select(v => (v - mean) * (v - mean)).Average()), 1e-5);
        }
    }
}
