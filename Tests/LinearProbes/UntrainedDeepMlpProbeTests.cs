using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Zoo;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>
/// The probe paper's Fig. 3 at a small scale: an untrained deep MLP (LeakyReLU(0.5), Glorot normal)
/// on x ~ N(0, I), y = sign(xᵀw). The task is linearly separable at the input, and every layer is an
/// invertible map of it, yet a linear probe finds it harder and harder to read with depth.
/// </summary>
public class UntrainedDeepMlpProbeTests
{
    public static IReadOnlyList<ProbeResult> ProbeEveryHiddenLayer(int depth, int width, int dimension, long seed)
    {
        using var model = ModelZoo.Create("mlp", new Dictionary<string, string> { ["depth"] = $"{depth}", ["width"] = $"{width}" }, [dimension], 2, seed);
        var splits = GaussianSignDataset.Generate(dimension, trainCount: 500, validationCount: 200, testCount: 500, seed: seed + 100);
        var taps = model.TapNames.Where(t => t != "logits").ToList();
        var flatten = Reduction.Parse("flatten", 0, 0);
        IReadOnlyDictionary<string, FeatureMatrix> Features(LabeledData data) =>
            ActivationExtractor.Extract(model, data, taps, flatten, batchSize: 500, CancellationToken.None).RequireFinite();
        var (train, validation, test) = (Features(splits.Train), Features(splits.Validation), Features(splits.Test));
        var layers = taps.Select(t => new LayerFeatures(t, train[t], validation[t], test[t])).ToList();
        // L-BFGS solves each convex probe; generous patience because deep layers are small in scale and start slowly.
        var options = new ProbeOptions { Optimizer = ProbeOptions.Lbfgs, MaxEpochs = 60, Patience = 20 };
        return ProbeTrainer.TrainAll(layers, splits.Train.Labels, splits.Validation.Labels, splits.Test.Labels, 2, options, null, CancellationToken.None);
    }

    [Fact]
    public void Probe_error_is_near_zero_at_the_input_and_climbs_with_depth()
    {
        var results = ProbeEveryHiddenLayer(depth: 6, width: 24, dimension: 24, seed: 1);
        var errors = results.Select(r => r.TestError).ToArray();

        Assert.Equal(["input", "layer1", "layer2", "layer3", "layer4", "layer5", "layer6"], results.Select(r => r.Tap));
        Assert.True(errors[0] < 0.08, $"input probe error {errors[0]}: the task is linearly separable there");
        Assert.True(errors[6] > errors[0] + 0.15, $"errors by layer: {string.Join(", ", errors.Select(e => e.ToString("F3")))}");
        Assert.True(errors[4..].Average() > errors[1..3].Average() + 0.03, $"errors by layer: {string.Join(", ", errors.Select(e => e.ToString("F3")))}");
        Assert.All(errors, e => Assert.True(e < 0.5, $"no layer should be worse than chance: {e}"));
    }
}
