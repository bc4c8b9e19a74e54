using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Tests.Zoo;

namespace ProbeGrid.Tests.LinearProbes;

/// <summary>Probes read a checkpoint's model; they must never change it (METHODS.md §1: θ_n never changes).</summary>
public class ModelWeightsUntouchedTests
{
    [Theory]
    [InlineData(ProbeOptions.RmsProp)]
    [InlineData(ProbeOptions.Lbfgs)]
    public void Extracting_features_and_training_probes_on_them_leaves_every_parameter_bit_for_bit_unchanged(string optimizer)
    {
        using var model = ModelZoo.Create("mlp", new Dictionary<string, string> { ["depth"] = "3", ["width"] = "16" }, [8], 2, seed: 13);
        using var reference = ModelZoo.Create("mlp", new Dictionary<string, string> { ["depth"] = "3", ["width"] = "16" }, [8], 2, seed: 13);
        var before = ModelState.Of(model);
        var splits = GaussianSignDataset.Generate(8, trainCount: 120, validationCount: 40, testCount: 40, seed: 14);
        model.train();

        var taps = model.TapNames.ToList();
        var reduction = Reduction.Parse("random-projection", 12, 1);
        IReadOnlyDictionary<string, FeatureMatrix> Features(LabeledData data) =>
            ActivationExtractor.Extract(model, data, taps, reduction, batchSize: 32, CancellationToken.None).RequireFinite();
        var (train, validation, test) = (Features(splits.Train), Features(splits.Validation), Features(splits.Test));
        var layers = taps.Select(t => new LayerFeatures(t, train[t], validation[t], test[t])).ToList();
        var results = ProbeTrainer.TrainAll(layers, splits.Train.Labels, splits.Validation.Labels, splits.Test.Labels, 2,
            new ProbeOptions { Optimizer = optimizer, LearningRate = 0.01, MaxEpochs = 5 }, null, CancellationToken.None);

        Assert.Equal(taps, results.Select(r => r.Tap));
        Assert.True(model.training);
        var after = ModelState.Of(model);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, values) in before)
            Assert.Equal(values.Select(BitConverter.SingleToInt32Bits), after[name].Select(BitConverter.SingleToInt32Bits));
        ModelState.AssertIdentical(reference, model);
        // No gradient was ever recorded into the model.
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
        // The probe on the raw input sees a linearly separable task (y = sign(xᵀw)): it learns it.
        Assert.True(results[0].TestError < 0.2, $"input probe test error {results[0].TestError}");
    }
}
