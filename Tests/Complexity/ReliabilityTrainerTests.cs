using ProbeGrid.Analysis.Complexity;
using TorchSharp;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.Complexity;

public class ReliabilityTrainerTests(ITestOutputHelper output)
{
    // Inputs 3x8x8; network 0's feature f_0 = a fixed 3x3 convolution of input channel 0 (4 channels).
    private const int TrainCount = 384, TestCount = 128;
    private static readonly long[] InputShape = [3, 8, 8];
    private static readonly Lazy<Data> Shared = new(Data.Create);

    private static readonly DisentanglerOptions Disentangler = new()
    {
        Orders = [1], Width = 0.25, Epochs = 40, BatchSize = 32, InitialLearningRate = 3e-3, FinalLearningRate = 1e-4, Seed = 1,
    };

    // T = 3 rounds rather than the paper's 5 and a 10x cycle learning rate: enough for the small g_k to converge in a test's time.
    private static readonly ReliabilityOptions Options = new() { Disentangler = Disentangler, CycleEpochs = 30, CycleRounds = 3, CycleInitialLearningRate = 1e-2, CycleFinalLearningRate = 1e-3 };

    [Fact]
    public void Peers_with_the_same_linear_feature_make_almost_all_of_the_lowest_order_reliable()
    {
        // The peers learned the same thing: f_1 is f_0, f_2 a full-rank 1x1 remix of f_0 (6 channels).
        var data = Shared.Value;
        var rho = Reliability(data, [data.Feature0, data.Remix0To6], [[4, 8, 8], [6, 8, 8]]);
        // Measured 0.899 (features standardised per network): short of 1 by what the shared trunk and the g_k
        // leave unfitted in a few epochs; unrelated peers give 0.002 (below).
        Assert.InRange(rho, 0.85, 1.1);
    }

    [Fact]
    public void Peers_with_unrelated_features_make_little_of_it_reliable()
    {
        // The peers learned something else: convolutions of input channels 1 and 2, which f_0 never sees.
        var data = Shared.Value;
        var rho = Reliability(data, [data.OfChannel1, data.OfChannel2], [[6, 8, 8], [4, 8, 8]]);
        // Measured 0.0014: each round keeps about 1/K of a part only one head expresses, (1/3)^(2T) of its variance after T rounds.
        Assert.InRange(rho, 0, 0.3);
    }

    [Fact]
    public void Bad_options_and_shapes_are_listed_together()
    {
        var options = new ReliabilityOptions { Disentangler = new DisentanglerOptions { Orders = [2] }, CycleRounds = 0, CycleEpochs = 0 };
        var e = Assert.Throws<ArgumentException>(() => ReliabilityTrainer.Train(new("train", new float[8], 2), [new float[8], new float[3]], [1, 2, 2],
            [[2, 2, 2], [2, 1, 1]], [], options, CancellationToken.None));
        Assert.Contains("order 2 must be 3m + 1", e.Message);
        Assert.Contains("cycleRounds 0 must be at least 1 (the paper uses T = 5)", e.Message);
        Assert.Contains("cycleEpochs 0 must be at least 1", e.Message);
        Assert.Contains("feature 1 has 3 values, not 2 x 2", e.Message);
        Assert.Contains("feature 1's map 1x1 differs from feature 0's 2x2", e.Message);
        Assert.Contains("2 features but 1 feature shapes: give one shape per network",
            Assert.Throws<ArgumentException>(() => ReliabilityTrainer.Train(new("train", new float[8], 2), [new float[8], new float[8]], [1, 2, 2],
                [[2, 2, 2]], [], new ReliabilityOptions(), CancellationToken.None)).Message);
    }

    [Fact]
    public void Cancellation_is_seen_within_a_batch()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var options = new ReliabilityOptions { Disentangler = new DisentanglerOptions { Orders = [1], Width = 1.0 / 16, Epochs = 1 }, CycleEpochs = 1 };
        Assert.ThrowsAny<OperationCanceledException>(() => ReliabilityTrainer.Train(new("train", new float[2 * 16], 2), [new float[2 * 4], new float[2 * 4]], [1, 4, 4],
            [[1, 2, 2], [1, 2, 2]], [], options, cancelled.Token));
    }

    private double Reliability(Data data, (float[] Train, float[] Test)[] peers, long[][] peerShapes)
    {
        var fits = ReliabilityTrainer.Train(new("train", data.TrainInputs, TrainCount), [data.Feature0.Train, .. peers.Select(p => p.Train)], InputShape,
            [[4, 8, 8], .. peerShapes], [new("test", data.TestInputs, TestCount)], Options, CancellationToken.None);
        var rho = FeatureReliability.Ratios(fits, data.Ordinary, "test", TestCount);
        output.WriteLine($"mimic loss {fits[0].TrainingLoss:G3}, cycle loss {fits[0].CycleLoss:G3}, Φ^(1) loss {data.Ordinary[0].TrainingLoss:G3}; ρ_reliable^(1) = {rho[0].Reliability:F4}");
        return rho[0].Reliability;
    }

    /// <summary>The inputs, the features of the analysed network and the candidate peers, and its ordinary Φ^(1) (trained once for both tests).</summary>
    private sealed record Data(float[] TrainInputs, float[] TestInputs, (float[] Train, float[] Test) Feature0, (float[] Train, float[] Test) Remix0To6,
        (float[] Train, float[] Test) OfChannel1, (float[] Train, float[] Test) OfChannel2, IReadOnlyList<DisentanglerTrainer.Fit> Ordinary)
    {
        public static Data Create()
        {
            var random = new Random(5);
            float[] Inputs(int n) => Enumerable.Range(0, n * 192).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            var (train, test) = (Inputs(TrainCount), Inputs(TestCount));
            (float[], float[]) Feature(Func<torch.Tensor, torch.Tensor> f) => (Apply(f, train, TrainCount), Apply(f, test, TestCount));

            using var generator = new torch.Generator(11);
            var kernel0 = torch.randn([4, 1, 3, 3], generator: generator);
            var kernel1 = torch.randn([6, 1, 3, 3], generator: generator);
            var kernel2 = torch.randn([4, 1, 3, 3], generator: generator);
            var remix = torch.randn([6, 4, 1, 1], generator: generator);
            torch.Tensor Conv0(torch.Tensor x) => torch.nn.functional.conv2d(x[.., 0..1], kernel0, padding: [1, 1]);
            var feature0 = Feature(Conv0);
            var ordinary = DisentanglerTrainer.Train(new("train", train, TrainCount), feature0.Item1, InputShape, [4, 8, 8],
                [new("test", test, TestCount)], Disentangler, CancellationToken.None);
            var data = new Data(train, test, feature0,
                Feature(x => torch.nn.functional.conv2d(Conv0(x), remix)),
                Feature(x => torch.nn.functional.conv2d(x[.., 1..2], kernel1, padding: [1, 1])),
                Feature(x => torch.nn.functional.conv2d(x[.., 2..3], kernel2, padding: [1, 1])),
                ordinary);
            foreach (var t in new[] { kernel0, kernel1, kernel2, remix }) t.Dispose();
            return data;
        }

        private static float[] Apply(Func<torch.Tensor, torch.Tensor> feature, float[] inputs, int count)
        {
            using var scope = torch.NewDisposeScope();
            return feature(torch.tensor(inputs, [count, .. InputShape])).data<float>().ToArray();
        }
    }
}
