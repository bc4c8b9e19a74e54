using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;

namespace ProbeGrid.Tests.Activations;

/// <summary>The sketch reductions through <see cref="ActivationExtractor"/> on a small mnist-convnet.</summary>
public class SketchExtractionTests
{
    private static readonly Dictionary<string, string> SmallConvNet = new() { ["channels1"] = "4", ["channels2"] = "6", ["hidden"] = "16" };

    private static LabeledData RandomSamples(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = Enumerable.Range(0, count * 64).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        var labels = Enumerable.Range(0, count).Select(_ => (long)random.Next(10)).ToArray();
        return new LabeledData(inputs, [1, 8, 8], labels, 10);
    }

    [Theory]
    [InlineData(Reduction.SparseProjection)]
    [InlineData(Reduction.PooledProjection)]
    public void Every_tap_has_the_declared_width_and_batches_of_7_match_one_batch(string kind)
    {
        using var model = ModelZoo.Create("mnist-convnet", SmallConvNet, [1, 8, 8], 10, seed: 3);
        var data = RandomSamples(40, seed: 4);
        var reduction = Reduction.Parse(kind, 12, 17);
        var shapes = model.TapShapes([1, 8, 8]);

        var small = ActivationExtractor.Extract(model, data, model.TapNames.ToList(), reduction, 7, CancellationToken.None).RequireFinite();
        var whole = ActivationExtractor.Extract(model, data, model.TapNames.ToList(), reduction, 1000, CancellationToken.None).RequireFinite();

        foreach (var tap in model.TapNames)
        {
            Assert.Equal(reduction.OutputSize(shapes[tap]), whole[tap].Columns);
            Assert.Equal(whole[tap].Columns, small[tap].Columns);
            // Convolutions may sum in another order for another batch size; the sketch itself does not.
            for (var i = 0; i < whole[tap].Data.Length; i++)
                Assert.True(Math.Abs(whole[tap].Data[i] - small[tap].Data[i]) <= 1e-5 * Math.Max(1, Math.Abs(whole[tap].Data[i])),
                    $"{tap}[{i}]: {whole[tap].Data[i]} vs {small[tap].Data[i]}");
        }
        Assert.Equal(12, whole["conv1_preact"].Columns); // 4 x 8 x 8 = 256 (pooled: 4 x 4 x 4 = 64), sketched to 12
        Assert.Equal(10, whole["logits"].Columns); // narrower than the target: kept whole
    }
}
