using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Complexity;

/// <summary>
/// The complexity pipeline on its own (no grid, no job): a seeded 1x4x4 input whose [2, 4, 4] feature is a fixed
/// function of it. Whatever the disentanglers learn, f = Σ c + Δf holds exactly and the shares follow from the variances.
/// </summary>
public class ComplexityDecompositionTests
{
    private const int Classes = 3, Game = 12;
    private static readonly long[] InputShape = [1, 4, 4], FeatureShape = [2, 4, 4];

    private static readonly DisentanglerOptions Disentangler =
        new() { Orders = [1, 4], Width = 0.0625, Epochs = 2, BatchSize = 8, Seed = 1 };

    private static readonly ReliabilityOptions Reliability = new() { Disentangler = Disentangler, CycleEpochs = 1, CycleRounds = 1 };

    [Fact]
    public void The_components_and_the_remainder_add_up_to_the_feature_and_the_shares_to_one()
    {
        var samples = ComplexitySamples.From(Data(), fitSamples: 24, gameSamples: Game);
        var d = ComplexityDecomposition.Compute(samples, Features(samples, peers: 0), Disentangler, Reliability, CancellationToken.None);

        Assert.Equal(FeatureShape, d.FeatureShape);
        Assert.Equal([1, 4], d.Train.Orders);
        Assert.Null(d.Reliability);
        Assert.All(d.MimicLosses, loss => Assert.True(double.IsFinite(loss) && loss > 0, $"mimic loss {loss}"));
        foreach (var (split, feature) in new[] { (d.Train, Feature(samples.GameTrain, 0)), (d.Test, Feature(samples.GameTest, 0)) })
        {
            var sum = split.Remainder.Select((r, j) => (double)r + split.Components.Sum(c => (double)c[j])).ToArray();
            Assert.Equal(feature.Select(v => (double)v), sum, new Tolerance(1e-5));
        }

        // ρ_c = Var[c] / Var[f] and the remainder's share Var[Δf] / Var[f], each variance computed here in double.
        var train = Feature(samples.GameTrain, 0);
        var total = Covariance(train, train);
        var parts = d.Train.Components.Append(d.Train.Remainder).ToList();
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(Covariance(parts[i], parts[i]), d.ComponentVariances[i], 1e-9 * total);
            Assert.Equal(Covariance(parts[i], parts[i]) / total, d.Significance[i], 1e-6);
        }
        Assert.Equal(Covariance(d.Train.Remainder, d.Train.Remainder) / total, d.RemainderShare, 1e-6);
        // Var of a sum: Σρ_c + Var[Δf]/Var[f] + 2 Σ_{i<j} Cov[p_i, p_j]/Var[f] = 1 over the parts p = (c^(1), c^(4), Δf).
        var cross = 0.0;
        for (var i = 0; i < parts.Count; i++)
            for (var j = i + 1; j < parts.Count; j++) cross += 2 * Covariance(parts[i], parts[j]) / total;
        Assert.Equal(1, d.Significance.Sum() + d.RemainderShare + cross, 1e-6);

        // The games score the upper network on the game samples' own labels.
        Assert.Equal(samples.GameTrain.Labels, d.TrainTargets.Classes);
        Assert.Equal(samples.GameTest.Labels, d.TestTargets.Classes);
    }

    [Fact]
    public void Peers_add_a_reliability_per_order_and_leave_the_decomposition_as_it_was()
    {
        var samples = ComplexitySamples.From(Data(), fitSamples: 24, gameSamples: Game);
        var alone = ComplexityDecomposition.Compute(samples, Features(samples, peers: 0), Disentangler, Reliability, CancellationToken.None);
        var withPeer = ComplexityDecomposition.Compute(samples, Features(samples, peers: 1), Disentangler, Reliability, CancellationToken.None);

        Assert.Equal(2, withPeer.Reliability!.Length);
        Assert.All(withPeer.Reliability, r => Assert.True(double.IsFinite(r) && r >= 0, $"reliability {r}"));
        // The ordinary disentanglers are seeded alike, so the peer changes nothing else, bit for bit.
        Assert.Equal(alone.MimicLosses, withPeer.MimicLosses);
        Assert.Equal(alone.Significance, withPeer.Significance);
        Assert.Equal(alone.Test.Remainder, withPeer.Test.Remainder);
    }

    [Fact]
    public void The_fit_set_is_the_validation_split_topped_up_from_the_train_split()
    {
        // Samples of one value each, numbered by split: validation 100.., train 200.., test 300...
        LabeledData Split(int first, int count) => new(Enumerable.Range(first, count).Select(v => (float)v).ToArray(), [1], new long[count], 1);
        var data = new DatasetSplits(Split(200, 5), Split(100, 3), Split(300, 2));

        var samples = ComplexitySamples.From(data, fitSamples: 5, gameSamples: 4);

        Assert.Equal([100f, 101, 102, 200, 201], samples.Fit.Inputs);
        Assert.Equal([200f, 201, 202, 203], samples.GameTrain.Inputs);
        Assert.Equal([300f, 301], samples.GameTest.Inputs); // only two test samples
        Assert.Equal([100f, 101], ComplexitySamples.From(data, fitSamples: 2, gameSamples: 4).Fit.Inputs);
    }

    /// <summary>Seeded uniform inputs in [-1, 1] with labels 0, 1, 2, ...: 20 train, 16 validation and 12 test samples.</summary>
    private static DatasetSplits Data()
    {
        var random = new Random(5);
        LabeledData Split(int count) => new(
            Enumerable.Range(0, count * 16).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), InputShape,
            Enumerable.Range(0, count).Select(i => (long)(i % Classes)).ToArray(), Classes);
        return new DatasetSplits(Split(20), Split(16), Split(12));
    }

    /// <summary>f(x): channel 0 = x², channel 1 = |x| + shift, per pixel (a peer has shift 1, and one channel more).</summary>
    private static float[] Feature(LabeledData split, int shift, int channels = 2) =>
        Enumerable.Range(0, split.Count).SelectMany(s => Enumerable.Range(0, channels).SelectMany(c => Enumerable.Range(0, 16).Select(p =>
        {
            var x = split.Inputs[s * 16 + p];
            return c == 0 ? x * x : MathF.Abs(x) + shift + c - 1;
        }))).ToArray();

    private static ComplexityFeatures Features(ComplexitySamples samples, int peers) => new(
        FeatureShape, Feature(samples.Fit, 0), Feature(samples.GameTrain, 0), Feature(samples.GameTest, 0),
        Enumerable.Range(0, peers).Select(_ => new ComplexityFeatures.PeerFeature([3, 4, 4], Feature(samples.Fit, 1, channels: 3))).ToList());

    /// <summary>Cov[a, b] = E_x ⟨a(x) − E a, b(x) − E b⟩ over the game's training samples, rows of 32 values.</summary>
    private static double Covariance(float[] a, float[] b)
    {
        const int dimensions = 32;
        var samples = a.Length / dimensions;
        double sum = 0;
        for (var d = 0; d < dimensions; d++)
        {
            double meanA = 0, meanB = 0;
            for (var s = 0; s < samples; s++) { meanA += a[s * dimensions + d]; meanB += b[s * dimensions + d]; }
            meanA /= samples;
            meanB /= samples;
            for (var s = 0; s < samples; s++) sum += (a[s * dimensions + d] - meanA) * (b[s * dimensions + d] - meanB);
        }
        return sum / samples;
    }
}
