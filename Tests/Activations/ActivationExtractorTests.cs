using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Activations;

public class ActivationExtractorTests
{
    private static readonly Dictionary<string, string> SmallConvNet = new() { ["channels1"] = "4", ["channels2"] = "6", ["hidden"] = "16" };
    private static readonly Dictionary<string, string> SmallMlp = new() { ["depth"] = "3", ["width"] = "16" };

    private static readonly Reduction Flatten = Reduction.Parse("flatten", 0, 0);

    /// <summary>Uniform(-1, 1) samples of the given shape with random labels in [0, 10).</summary>
    private static LabeledData RandomSamples(int count, long[] shape, int seed)
    {
        var random = new Random(seed);
        var size = (int)shape.Aggregate(1L, (a, b) => a * b);
        var inputs = Enumerable.Range(0, count * size).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        var labels = Enumerable.Range(0, count).Select(_ => (long)random.Next(10)).ToArray();
        return new LabeledData(inputs, shape, labels, 10);
    }

    private static TappedModel ConvNet() => ModelZoo.Create("mnist-convnet", SmallConvNet, [1, 8, 8], 10, seed: 3);

    /// <summary>Every tap of one forward pass over all of <paramref name="data"/>, flattened per sample.</summary>
    private static Dictionary<string, float[]> DirectTaps(TappedModel model, LabeledData data)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var taps = new Dictionary<string, float[]>();
        model.Forward(data.InputBatch(0, data.Count), (tap, a) => taps[tap] = a.contiguous().data<float>().ToArray());
        return taps;
    }

    /// <summary>Equal up to float rounding: convolutions may sum in another order for another batch size.</summary>
    private static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    private static IReadOnlyDictionary<string, FeatureMatrix> Extract(
        TappedModel model, LabeledData data, Reduction reduction, int batchSize, IReadOnlyCollection<string>? taps = null) =>
        ActivationExtractor.Extract(model, data, taps ?? model.TapNames.ToList(), reduction, batchSize, CancellationToken.None).RequireFinite();

    public static TheoryData<string, string> ModelsAndReductions => new()
    {
        { "mlp", "flatten" },
        { "mlp", "random-projection" },
        { "mnist-convnet", "flatten" },
        { "mnist-convnet", "spatial-mean" },
        { "mnist-convnet", "random-projection" },
    };

    [Theory]
    [MemberData(nameof(ModelsAndReductions))]
    public void Batches_of_7_give_the_same_features_as_one_batch_of_1000(string architecture, string kind)
    {
        using var model = architecture == "mlp" ? ModelZoo.Create("mlp", SmallMlp, [8], 3, seed: 2) : ConvNet();
        var data = RandomSamples(60, architecture == "mlp" ? [8] : [1, 8, 8], seed: 4);
        var reduction = Reduction.Parse(kind, 12, 17);

        var small = Extract(model, data, reduction, batchSize: 7);
        var whole = Extract(model, data, reduction, batchSize: 1000);

        Assert.Equal(model.TapNames.Order(), small.Keys.Order());
        foreach (var tap in model.TapNames)
        {
            Assert.Equal((whole[tap].Rows, whole[tap].Columns), (small[tap].Rows, small[tap].Columns));
            AssertClose(whole[tap].Data, small[tap].Data, tap);
        }
    }

    [Fact]
    public void Flattened_features_of_every_convnet_tap_are_its_activations_with_the_tap_shapes_of_the_model()
    {
        using var model = ConvNet();
        var data = RandomSamples(9, [1, 8, 8], seed: 5);
        var shapes = model.TapShapes([1, 8, 8]);
        var direct = DirectTaps(model, data);

        var features = Extract(model, data, Flatten, batchSize: 4);

        Assert.Equal([4L, 8, 8], shapes["conv1_preact"]);
        Assert.Equal([6L, 2, 2], shapes["conv2_pooling"]);
        foreach (var tap in model.TapNames)
        {
            Assert.Equal(9, features[tap].Rows);
            Assert.Equal(shapes[tap].Aggregate(1L, (a, b) => a * b), features[tap].Columns);
            AssertClose(direct[tap], features[tap].Data, tap);
        }
    }

    [Fact]
    public void Mlp_features_have_the_widths_of_its_layers()
    {
        using var model = ModelZoo.Create("mlp", SmallMlp, [2, 5], 4, seed: 1);
        var data = RandomSamples(11, [2, 5], seed: 6);

        var features = Extract(model, data, Flatten, batchSize: 5);

        string[] taps = ["input", "layer1", "layer2", "layer3", "logits"];
        Assert.Equal(taps, features.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([10, 16, 16, 16, 4], taps.Select(t => features[t].Columns));
        Assert.All(features.Values, f => Assert.Equal(11, f.Rows));
        Assert.Equal(data.Inputs, features["input"].Data);
    }

    [Fact]
    public void Spatial_mean_features_of_conv_taps_are_channel_means_and_of_the_input_the_pixel_mean()
    {
        using var model = ConvNet();
        var data = RandomSamples(5, [1, 8, 8], seed: 7);
        var direct = DirectTaps(model, data);

        var features = Extract(model, data, Reduction.Parse("spatial-mean", 0, 0), batchSize: 2);

        Assert.Equal(1, features["input"].Columns);
        for (var s = 0; s < 5; s++)
        {
            var pixelMean = data.Inputs.AsSpan(64 * s, 64).ToArray().Average();
            Assert.Equal(pixelMean, features["input"].Data[s], 1e-5f);
        }
        // conv1_postact is [4, 8, 8] per sample: feature c of sample s is the mean of its 64 values.
        Assert.Equal(4, features["conv1_postact"].Columns);
        for (var s = 0; s < 5; s++)
            for (var c = 0; c < 4; c++)
                Assert.Equal(direct["conv1_postact"].AsSpan(256 * s + 64 * c, 64).ToArray().Average(), features["conv1_postact"].Data[4 * s + c], 1e-5f);
        AssertClose(direct["fc1_postact"], features["fc1_postact"].Data, "fc1_postact"); // vectors are kept whole
    }

    [Fact]
    public void Random_projection_caps_large_taps_and_keeps_the_input_and_logits_exact()
    {
        using var model = ConvNet();
        var data = RandomSamples(6, [1, 8, 8], seed: 8);
        var direct = DirectTaps(model, data);

        var features = Extract(model, data, Reduction.Parse("random-projection", 20, 1), batchSize: 4);

        Assert.Equal(20, features["conv1_preact"].Columns);
        Assert.Equal(20, features["conv2_pooling"].Columns); // 24 values per sample
        Assert.Equal(16, features["fc1_postact"].Columns);
        Assert.Equal(10, features["logits"].Columns);
        AssertClose(direct["logits"], features["logits"].Data, "logits");
        AssertClose(direct["fc1_postact"], features["fc1_postact"].Data, "fc1_postact");
    }

    [Fact]
    public void Only_the_requested_taps_are_returned()
    {
        using var model = ConvNet();
        var data = RandomSamples(3, [1, 8, 8], seed: 9);

        var features = Extract(model, data, Flatten, batchSize: 2, taps: ["conv2_postact", "logits"]);

        Assert.Equal(["conv2_postact", "logits"], features.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Extraction_runs_in_inference_mode_and_restores_the_training_flag_it_found()
    {
        using var model = new ModeRecordingModel();
        var data = RandomSamples(12, [3], seed: 10);

        model.train();
        var features = Extract(model, data, Flatten, batchSize: 4);
        Assert.True(model.training);
        Assert.Equal(3, model.Passes.Count(p => p.Batch == 4));
        Assert.All(model.Passes.Where(p => p.Batch == 4), p => Assert.False(p.Training));

        model.eval();
        Extract(model, data, Flatten, batchSize: 4);
        Assert.False(model.training);

        // The recorded taps are what the model computed: x² and [Σx², Σx].
        for (var s = 0; s < 12; s++)
        {
            var x = data.Inputs.AsSpan(3 * s, 3).ToArray();
            Assert.Equal(x.Select(v => v * v), features["squared"].Row(s).ToArray());
            Assert.Equal(x.Sum(), features["logits"].Data[2 * s + 1], 1e-5f);
        }
    }

    [Fact]
    public void An_unknown_tap_is_rejected_naming_it_and_the_taps_the_model_has()
    {
        using var model = ModelZoo.Create("mlp", SmallMlp, [8], 3, seed: 2);
        var data = RandomSamples(4, [8], seed: 1);

        var e = Assert.Throws<ArgumentException>(() => Extract(model, data, Flatten, batchSize: 2, taps: ["layer2", "layer99", "conv1"]));

        Assert.Contains("'layer99'", e.Message);
        Assert.Contains("'conv1'", e.Message);
        Assert.DoesNotContain("'layer2'", e.Message);
        Assert.Contains("input, layer1, layer2, layer3, logits", e.Message);
    }

    [Fact]
    public void A_batch_size_below_one_is_rejected()
    {
        using var model = ModelZoo.Create("mlp", SmallMlp, [8], 3, seed: 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => Extract(model, RandomSamples(4, [8], seed: 1), Flatten, batchSize: 0));
    }

    [Fact]
    public void A_NaN_weight_fails_only_the_taps_it_reaches_naming_the_first_non_finite_parameter()
    {
        using var model = ModelZoo.Create("mlp", SmallMlp, [8], 3, seed: 2);
        var data = RandomSamples(10, [8], seed: 3);
        var clean = Extract(model, data, Flatten, batchSize: 4, taps: ["input", "layer1"]);
        var weight = model.named_parameters().Single(p => p.name == "hidden.1.weight").parameter;
        using (torch.no_grad()) weight[1][2].fill_(float.NaN); // flat element 1 * 16 + 2
        model.train();

        var extracted = ActivationExtractor.Extract(model, data, ["input", "layer1", "layer2", "layer3", "logits"], Flatten, 4, CancellationToken.None);

        Assert.True(model.training);
        // The taps below the bad weight are finite and as they were; the pass went on past the first NaN.
        Assert.Equal(["input", "layer1"], extracted.Features.Keys.Order());
        Assert.Equal(clean["input"].Data, extracted.Features["input"].Data);
        // a second float32 pass: MKL may round differently between passes (by memory alignment), so not to the bit
        Assert.Equal(clean["layer1"].Data, extracted.Features["layer1"].Data, new Tolerance(1e-6));
        Assert.Equal(["layer2", "layer3", "logits"], extracted.NonFinite.Keys.Order());
        var layer2 = extracted.NonFinite["layer2"];
        Assert.Equal((0L, "hidden.1.weight", 18L), (layer2.Sample, layer2.Parameter!.Name, layer2.Parameter.Element));
        Assert.True(float.IsNaN(layer2.Value));
        Assert.Equal("tap 'layer2' produced NaN at sample 0; the checkpoint's parameter hidden.1.weight holds NaN (element 18)", layer2.Describe());
        var e = Assert.Throws<NonFiniteActivationException>(() => extracted.RequireFinite());
        Assert.Equal("layer2", e.Tap);
        Assert.StartsWith(layer2.Describe() + ": the checkpoint has diverged or its weights are corrupt", e.Message);
    }

    [Fact]
    public void A_non_finite_activation_is_reported_at_the_sample_that_holds_it()
    {
        using var model = ModelZoo.Create("mlp", SmallMlp, [8], 3, seed: 2);
        var data = RandomSamples(10, [8], seed: 3);
        data.Inputs[8 * 5 + 3] = float.PositiveInfinity; // sample 5, in the third batch of two

        var extracted = ActivationExtractor.Extract(model, data, ["input"], Flatten, 2, CancellationToken.None);

        Assert.Empty(extracted.Features);
        var input = extracted.NonFinite["input"];
        Assert.Equal((5L, float.PositiveInfinity), (input.Sample, input.Value));
        Assert.Null(input.Parameter);
        Assert.StartsWith("tap 'input' produced +infinity at sample 5; every parameter of the checkpoint is finite", input.Describe());
    }

    [Fact]
    public void A_cancelled_extraction_throws_OperationCanceledException()
    {
        using var model = ModelZoo.Create("mlp", SmallMlp, [8], 3, seed: 2);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        model.train();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            ActivationExtractor.Extract(model, RandomSamples(4, [8], seed: 1), ["layer1"], Flatten, 2, cancelled.Token));
        Assert.True(model.training);
    }
}
