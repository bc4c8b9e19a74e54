using ProbeGrid.Analysis.Data;
using TorchSharp;

namespace ProbeGrid.Tests.Data;

/// <summary>
/// Mosaics built from a synthetic Fashion-MNIST folder, whose image k carries k in its first
/// pixels and has label k % 10: every cell of a mosaic can be traced back to its file item.
/// </summary>
public sealed class FashionMnistMosaicTests : IDisposable
{
    private const int TrainFileSize = 60; // validation pool: items 50..59
    private const int TestFileSize = 12;

    private readonly TemporaryFolder _folder = new();

    public FashionMnistMosaicTests() =>
        SyntheticFashionMnistFolder.Write(_folder.Path, TrainFileSize, TestFileSize, gzip: false);

    public void Dispose() => _folder.Dispose();

    private DatasetSplits Load(MosaicLayout layout, int train = 120, int validation = 60, int test = 40, long seed = 5) =>
        FashionMnistMosaic.Load(_folder.Path, layout, train, validation, test, seed);

    /// <summary>Each cell of mosaic <paramref name="m"/> (row-major): the file item it holds, or null when blank (asserted all zero).</summary>
    private static int?[] Cells(LabeledData data, int m, int grid)
    {
        const int side = FashionMnist.ImageSide;
        var canvas = grid * side;
        var cells = new int?[grid * grid];
        for (var cell = 0; cell < cells.Length; cell++)
        {
            var (row, column) = Math.DivRem(cell, grid);
            var origin = m * data.SampleSize + row * side * canvas + column * side;
            var pixels = Enumerable.Range(0, side).SelectMany(r => data.Inputs.AsSpan(origin + r * canvas, side).ToArray()).ToArray();
            if (pixels[2] == 1f) // the synthetic images store 255 there
                cells[cell] = (int)MathF.Round(pixels[0] * 255f) + 256 * (int)MathF.Round(pixels[1] * 255f);
            else
                Assert.All(pixels, p => Assert.Equal(0f, p));
        }
        return cells;
    }

    private static float[] LabelSet(LabeledData data, int m) => data.LabelSets!.AsSpan(m * data.ClassCount, data.ClassCount).ToArray();

    [Fact]
    public void Label_sets_are_the_classes_of_the_items_placed_in_range_and_from_disjoint_pools()
    {
        var layout = new MosaicLayout(Grid: 3, ItemSize: 28, MinItems: 2, MaxItems: 5);
        var splits = Load(layout);
        var validationStart = FashionMnistMosaic.ValidationPoolStart(TrainFileSize);
        Assert.Equal(50, validationStart);

        foreach (var (data, low, high) in new[] { (splits.Train, 0, validationStart), (splits.Validation, validationStart, TrainFileSize), (splits.Test, 0, TestFileSize) })
        {
            Assert.True(data.IsMultiLabel);
            Assert.Equal([1L, 84, 84], data.SampleShape);
            Assert.All(data.Labels, l => Assert.Equal(-1L, l));
            var used = new HashSet<int>();
            for (var m = 0; m < data.Count; m++)
            {
                var items = Cells(data, m, layout.Grid).OfType<int>().ToArray();
                Assert.InRange(items.Length, 2, 5);
                Assert.All(items, k => Assert.InRange(k, low, high - 1));
                used.UnionWith(items);
                var expected = new float[10];
                foreach (var k in items) expected[k % 10] = 1; // two items of one class: one label
                Assert.Equal(expected, LabelSet(data, m));
            }
            Assert.True(used.Count > (high - low) / 2, $"only {used.Count} of the pool's {high - low} items were used");
        }
    }

    [Fact]
    public void Item_counts_are_uniform_between_the_bounds_and_cells_are_spread()
    {
        var splits = Load(new MosaicLayout(2, 28, 1, 4), train: 2000, validation: 1, test: 1);
        var counts = new int[5];
        var filled = new int[4];
        for (var m = 0; m < splits.Train.Count; m++)
        {
            var cells = Cells(splits.Train, m, 2);
            counts[cells.Count(c => c is not null)]++;
            for (var c = 0; c < 4; c++) if (cells[c] is not null) filled[c]++;
        }
        Assert.Equal(0, counts[0]);
        for (var k = 1; k <= 4; k++) Assert.InRange(counts[k], 420, 580); // 500 expected, sd ≈ 19
        // Each cell is filled with probability E[k]/4 = 0.625: 1250 of 2000 expected.
        Assert.All(filled, f => Assert.InRange(f, 1150, 1350));
    }

    [Fact]
    public void The_seed_fixes_everything_and_each_split_has_its_own_stream()
    {
        var layout = new MosaicLayout(2, 28, 1, 4);
        var a = Load(layout, seed: 9);
        var b = Load(layout, seed: 9);
        var other = Load(layout, seed: 10);
        var moreTrain = Load(layout, train: 150, seed: 9);

        Assert.Equal(a.Train.Inputs, b.Train.Inputs);
        Assert.Equal(a.Train.LabelSets, b.Train.LabelSets);
        Assert.Equal(a.Test.Inputs, b.Test.Inputs);
        Assert.NotEqual(a.Train.Inputs, other.Train.Inputs);
        Assert.NotEqual(a.Validation.LabelSets, other.Validation.LabelSets);
        // More training mosaics: the first ones, validation and test stay as they were.
        Assert.Equal(a.Train.Inputs, moreTrain.Train.Inputs.AsSpan(0, a.Train.Inputs.Length).ToArray());
        Assert.Equal(a.Validation.Inputs, moreTrain.Validation.Inputs);
        Assert.Equal(a.Test.LabelSets, moreTrain.Test.LabelSets);
    }

    [Fact]
    public void Half_size_items_are_the_full_size_mosaic_average_pooled()
    {
        var full = Load(new MosaicLayout(2, 28, 1, 4), seed: 3);
        var half = Load(new MosaicLayout(2, 14, 1, 4), seed: 3);

        Assert.Equal([1L, 28, 28], half.SampleShape);
        Assert.Equal(full.Validation.LabelSets, half.Validation.LabelSets);
        using var scope = torch.NewDisposeScope();
        var pooled = torch.nn.functional.avg_pool2d(full.Validation.InputBatch(0, full.Validation.Count), 2);
        Assert.True(pooled.allclose(half.Validation.InputBatch(0, half.Validation.Count), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void A_folder_too_small_for_a_validation_pool_is_refused()
    {
        using var small = new TemporaryFolder();
        SyntheticFashionMnistFolder.Write(small.Path, trainCount: 5, testCount: 3, gzip: false);
        var error = Assert.Throws<ArgumentException>(() =>
            FashionMnistMosaic.Load(small.Path, new MosaicLayout(2, 28, 1, 4), 4, 4, 4, seed: 0));
        Assert.Contains("5 training", error.Message);
    }

    [Fact]
    public void Catalog_describes_the_mosaics_without_loading_them()
    {
        var none = new Dictionary<string, string>();
        Assert.Contains("fashion-mnist-mosaic", DatasetCatalog.Names);
        Assert.Empty(DatasetCatalog.Validate("fashion-mnist-mosaic", none));
        Assert.True(DatasetCatalog.IsMultiLabel("fashion-mnist-mosaic"));
        Assert.False(DatasetCatalog.IsMultiLabel("fashion-mnist"));
        Assert.False(DatasetCatalog.IsMultiLabel("gaussian-sign"));
        Assert.Throws<ArgumentException>(() => DatasetCatalog.IsMultiLabel("voc"));
        Assert.Equal(10, DatasetCatalog.ClassCount("fashion-mnist-mosaic"));
        Assert.Equal([1L, 56, 56], DatasetCatalog.SampleShape("fashion-mnist-mosaic", none));
        Assert.Equal([12_000, 3_000, 3_000], DatasetCatalog.SplitSizes("fashion-mnist-mosaic", none));

        var small = new Dictionary<string, string> { ["grid"] = "3", ["itemSize"] = "14", ["minItems"] = "9", ["trainCount"] = "7" };
        Assert.Empty(DatasetCatalog.Validate("fashion-mnist-mosaic", small)); // maxItems defaults to grid² = 9
        Assert.Equal([1L, 42, 42], DatasetCatalog.SampleShape("fashion-mnist-mosaic", small));
        Assert.Equal([7, 3_000, 3_000], DatasetCatalog.SplitSizes("fashion-mnist-mosaic", small));
    }

    [Fact]
    public void Catalog_reports_every_problem_at_once()
    {
        var problems = DatasetCatalog.Validate("fashion-mnist-mosaic", new Dictionary<string, string>
        {
            ["root"] = " ", ["itemSize"] = "20", ["minItems"] = "3", ["maxItems"] = "2", ["testCount"] = "0", ["Grid"] = "2",
        });

        Assert.Equal(5, problems.Count);
        Assert.All(problems, p => Assert.StartsWith("dataset 'fashion-mnist-mosaic': ", p));
        Assert.Contains(problems, p => p.Contains("unknown parameter 'Grid' (did you mean 'grid'?)") && p.Contains("allowed parameters are root, grid, itemSize"));
        Assert.Contains(problems, p => p.Contains("'root' is empty"));
        Assert.Contains(problems, p => p.Contains("itemSize must be 28") && p.Contains("(got 20)"));
        Assert.Contains(problems, p => p.Contains("maxItems (2) must be at least minItems (3)"));
        Assert.Contains(problems, p => p.Contains("testCount must be at least 1"));

        var tooMany = Assert.Single(DatasetCatalog.Validate("fashion-mnist-mosaic", new Dictionary<string, string> { ["validationCount"] = "999999" }));
        Assert.Contains("validationCount = 999999 mosaics of 3136 pixels do not fit in one array", tooMany);

        // As for the other data sets, ranges are checked once the integers parse.
        Assert.Contains("'maxItems' must be an integer (got 'x')", Assert.Single(DatasetCatalog.Validate("fashion-mnist-mosaic", new Dictionary<string, string> { ["grid"] = "9", ["maxItems"] = "x" })));
        Assert.Contains("grid must be in [1, 8] (got 9)", Assert.Single(DatasetCatalog.Validate("fashion-mnist-mosaic", new Dictionary<string, string> { ["grid"] = "9", ["maxItems"] = "3" })));
        Assert.Contains("must be in [1, 4]", Assert.Single(DatasetCatalog.Validate("fashion-mnist-mosaic", new Dictionary<string, string> { ["minItems"] = "0" })));
    }

    [Fact]
    public void Catalog_loads_from_the_root_parameter()
    {
        var data = DatasetCatalog.Load("fashion-mnist-mosaic", new Dictionary<string, string>
        {
            ["root"] = _folder.Path, ["itemSize"] = "14", ["trainCount"] = "8", ["validationCount"] = "4", ["testCount"] = "2",
        }, seed: 1);
        Assert.Equal((8, 4, 2), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal([1L, 28, 28], data.SampleShape);
        Assert.True(data.Test.IsMultiLabel);
    }

    [Fact]
    public void Real_images_make_mosaics_in_the_unit_range()
    {
        Assert.True(Directory.Exists(FashionMnist.DefaultFolder), $"Fashion-MNIST is not installed. Fix: {FashionMnist.InstallHint}.");
        var data = FashionMnistMosaic.Load(FashionMnist.DefaultFolder, new MosaicLayout(2, 14, 1, 4), 64, 32, 32, seed: 2);

        Assert.Equal((64, 32, 32), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.All(data.Train.Inputs, v => Assert.InRange(v, 0f, 1f));
        for (var m = 0; m < data.Train.Count; m++)
        {
            // Real items are never all black, so there are at least as many filled cells as labels.
            var filled = Enumerable.Range(0, 4).Count(cell =>
            {
                var (row, column) = Math.DivRem(cell, 2);
                return Enumerable.Range(0, 14).Any(r => data.Train.Inputs.AsSpan(m * 784 + (row * 14 + r) * 28 + column * 14, 14).ContainsAnyExcept(0f));
            });
            var labels = (int)LabelSet(data.Train, m).Sum();
            Assert.InRange(labels, 1, filled);
            Assert.InRange(filled, 1, 4);
        }
    }
}
