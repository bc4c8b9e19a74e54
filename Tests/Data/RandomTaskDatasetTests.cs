using ProbeGrid.Analysis.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Data;

/// <summary>The Task-n data set: a seeded random task DNN's outputs as regression targets of Fashion-MNIST images.</summary>
public sealed class RandomTaskDatasetTests : IDisposable
{
    private readonly TemporaryFolder _folder = new();

    public RandomTaskDatasetTests() => SyntheticFashionMnistFolder.Write(_folder.Path, trainCount: 60, testCount: 12, gzip: false);

    public void Dispose() => _folder.Dispose();

    private DatasetSplits Load(string n = "2", string taskSeed = "3", long splitSeed = 5) =>
        DatasetCatalog.Load("random-task", new Dictionary<string, string>
        {
            ["root"] = _folder.Path, ["n"] = n, ["seed"] = taskSeed, ["trainCount"] = "20", ["validationCount"] = "10", ["testCount"] = "8",
        }, splitSeed);

    private static Tensor RandomImages(int count, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return torch.rand([count, 1, 28, 28], generator: generator);
    }

    [Fact]
    public void Targets_are_the_task_nets_outputs_of_shape_64_by_7_by_7()
    {
        var data = Load();

        Assert.Equal(TargetKind.Regression, data.Kind);
        Assert.Equal([64L, 7, 7], data.TargetShape!);
        Assert.Equal(0, data.ClassCount);
        foreach (var (split, count) in new[] { (data.Train, 20), (data.Validation, 10), (data.Test, 8) })
        {
            Assert.Equal(count, split.Count);
            Assert.Equal(count * 64 * 7 * 7, split.Targets!.Length);
            Assert.All(split.Labels, l => Assert.Equal(-1, l));
            Assert.Null(split.LabelSets);
        }

        using var task = new RandomTaskNet(1, 2, seed: 3);
        Assert.Equal(task.Apply(data.Test.Inputs, [1, 28, 28]), data.Test.Targets);
    }

    [Fact]
    public void The_task_is_deterministic_in_its_seed_and_independent_of_the_split_seed()
    {
        var first = Load();
        var again = Load();
        Assert.Equal(first.Train.Targets, again.Train.Targets);
        Assert.Equal(first.Train.Inputs, again.Train.Inputs);

        Assert.NotEqual(first.Train.Targets, Load(taskSeed: "4").Train.Targets);

        // Another split seed picks other training-file images, but an image both splits hold gets the same target.
        static Dictionary<int, float[]> ByFileIndex(params LabeledData[] splits) => splits
            .SelectMany(s => Enumerable.Range(0, s.Count).Select(i => (Key: SyntheticFashionMnistFolder.FileIndexOf(s, i), Row: s.Targets!.AsSpan(i * 3136, 3136).ToArray())))
            .ToDictionary(p => p.Key, p => p.Row);
        var before = ByFileIndex(first.Train, first.Validation);
        var resplit = Load(splitSeed: 6);
        var after = ByFileIndex(resplit.Train, resplit.Validation);
        var shared = before.Keys.Intersect(after.Keys).ToList();
        Assert.NotEmpty(shared);
        Assert.NotEqual(before.Keys.Order(), after.Keys.Order());
        foreach (var k in shared) Assert.Equal(before[k], after[k]);
    }

    [Fact]
    public void With_no_relu_the_task_net_is_linear_up_to_its_max_pool()
    {
        using var scope = torch.NewDisposeScope();
        using var task = new RandomTaskNet(1, 0, seed: 11);
        var (x, y) = (RandomImages(4, 1), RandomImages(4, 2));
        const double a = 0.7, b = -1.3;

        var mixed = task.BeforePool(x * a + y * b);
        var separate = task.BeforePool(x) * a + task.BeforePool(y) * b;
        Assert.True(mixed.sub(separate).abs().max().item<float>() < 1e-5f);

        // Control: two ReLU layers break additivity.
        using var deep = new RandomTaskNet(1, 2, seed: 11);
        var deepGap = deep.BeforePool(x * a + y * b).sub(deep.BeforePool(x) * a + deep.BeforePool(y) * b).abs().max().item<float>();
        Assert.True(deepGap > 1e-2f, $"gap {deepGap}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void The_task_net_is_positively_homogeneous(int n)
    {
        using var scope = torch.NewDisposeScope();
        using var task = new RandomTaskNet(1, n, seed: 2);
        var x = RandomImages(3, 7);
        var scaled = task.forward(x * 2.5);
        var expected = task.forward(x) * 2.5;
        Assert.True(scaled.sub(expected).abs().max().item<float>() <= 1e-4f * expected.abs().max().item<float>());
    }

    [Fact]
    public void The_task_net_has_the_reference_layers_and_he_normal_weights()
    {
        using var task = new RandomTaskNet(1, 80, seed: 9);
        // conv 1→16 (3x3), 80 convs 16→16 (3x3), conv 16→64 (1x1), no biases.
        var sizes = task.parameters().Select(p => p.numel()).ToList();
        Assert.Equal(82, sizes.Count);
        Assert.Equal(144 + 80 * 2304 + 1024, sizes.Sum());
        Assert.All(task.parameters(), p => Assert.False(p.requires_grad));

        var hidden = task.parameters().Skip(1).Take(80).SelectMany(p => p.data<float>().ToArray()).ToArray();
        var mean = hidden.Average(v => (double)v);
        var std = Math.Sqrt(hidden.Average(v => (v - mean) * (v - mean)));
        Assert.Equal(Math.Sqrt(2.0 / 144), std, 0.002); // He normal, fan-in 16·3·3
        Assert.Equal([64L, 7, 7], RandomTaskNet.OutputShape([1, 28, 28]));
        Assert.Equal([64L, 8, 8], RandomTaskNet.OutputShape([3, 32, 32])); // the authors' CIFAR-10 target
    }

    [Fact]
    public void Slices_keep_their_regression_targets()
    {
        var data = Load().Train;
        var slice = data.Slice(3, 4);
        Assert.Equal(TargetKind.Regression, slice.Kind);
        Assert.Equal(data.Targets!.AsSpan(3 * 3136, 4 * 3136).ToArray(), slice.Targets);
        using var batch = slice.BatchTargets(1, 2);
        Assert.Equal([2L, 64, 7, 7], batch.shape);
        Assert.Throws<InvalidOperationException>(() => slice.TargetBatch(0, 1));
    }

    [Fact]
    public void Catalog_describes_it_without_loading()
    {
        var none = new Dictionary<string, string>();
        Assert.Empty(DatasetCatalog.Validate("random-task", none));
        Assert.Equal(TargetKind.Regression, DatasetCatalog.TargetKindOf("random-task"));
        Assert.False(DatasetCatalog.IsMultiLabel("random-task"));
        Assert.Equal([1L, 28, 28], DatasetCatalog.SampleShape("random-task", none));
        Assert.Equal([64L, 7, 7], DatasetCatalog.TargetShape("random-task", none)!);
        Assert.Equal([10_000, 2_000, 2_000], DatasetCatalog.SplitSizes("random-task", none));
        Assert.Equal(0, DatasetCatalog.ClassCount("random-task"));
        Assert.Null(DatasetCatalog.TargetShape("fashion-mnist", none));
        Assert.Equal(TargetKind.ClassIndex, DatasetCatalog.TargetKindOf("fashion-mnist"));
        Assert.Equal(TargetKind.LabelSet, DatasetCatalog.TargetKindOf("fashion-mnist-mosaic"));
    }

    [Fact]
    public void Catalog_reports_every_problem_with_the_field_and_the_fix()
    {
        var problems = DatasetCatalog.Validate("random-task", new Dictionary<string, string>
        {
            ["N"] = "2", ["n"] = "-1", ["seed"] = "abc", ["trainCount"] = "0", ["testCount"] = "10001", ["root"] = " ",
        });

        Assert.Equal(6, problems.Count);
        Assert.All(problems, p => Assert.StartsWith("dataset 'random-task': ", p));
        Assert.Contains(problems, p => p.Contains("unknown parameter 'N' (did you mean 'n'?)") &&
                                       p.Contains("allowed parameters are root, n, seed, trainCount, validationCount, testCount"));
        Assert.Contains(problems, p => p.Contains("n must be a number of ReLU layers from 0 to 1000 (got -1); the paper's tasks use 0, 2, 8, 26, 80"));
        Assert.Contains(problems, p => p.Contains("parameter 'seed' must be a 64-bit integer, the task DNN's weight seed (got 'abc'); leave it out for 0"));
        Assert.Contains(problems, p => p.Contains("trainCount must be at least 1 (got 0)"));
        Assert.Contains(problems, p => p.Contains("testCount must be at most 10000"));
        Assert.Contains(problems, p => p.Contains("'root' is empty"));

        Assert.Contains("must be an integer (got '2.5')", Assert.Single(DatasetCatalog.Validate("random-task", new Dictionary<string, string> { ["n"] = "2.5" })));
        Assert.Contains("(got 1001)", Assert.Single(DatasetCatalog.Validate("random-task", new Dictionary<string, string> { ["n"] = "1001" })));
        Assert.Empty(DatasetCatalog.Validate("random-task", new Dictionary<string, string> { ["n"] = "80", ["seed"] = "-9000000000" }));
    }
}
