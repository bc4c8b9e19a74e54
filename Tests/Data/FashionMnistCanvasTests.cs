using ProbeGrid.Analysis.Data;

namespace ProbeGrid.Tests.Data;

/// <summary>
/// Canvases built from a synthetic Fashion-MNIST folder, whose image k carries k in its first two
/// pixels, 255 in its third and has label k % 10: with box masks the item's position is the mask's
/// corner, and the item there can be traced back to its file item.
/// </summary>
public sealed class FashionMnistCanvasTests : IDisposable
{
    private const int TrainFileSize = 60; // validation pool: items 50..59
    private const int TestFileSize = 12;
    private const int Side = FashionMnist.ImageSide;

    private readonly TemporaryFolder _folder = new();
    private readonly byte[] _trainImages = SyntheticFashionMnistFolder.Images(TrainFileSize)[16..]; // IDX header: 16 bytes
    private readonly byte[] _testImages = SyntheticFashionMnistFolder.Images(TestFileSize)[16..];

    public FashionMnistCanvasTests() =>
        SyntheticFashionMnistFolder.Write(_folder.Path, TrainFileSize, TestFileSize, gzip: false);

    public void Dispose() => _folder.Dispose();

    private DatasetSplits Load(int canvas = 56, double texture = 0.3, CanvasMask mask = CanvasMask.Item,
        int train = 100, int validation = 40, int test = 30, long seed = 5) =>
        FashionMnistCanvas.Load(_folder.Path, canvas, texture, mask, train, validation, test, seed);

    /// <summary>The top-left corner of sample <paramref name="m"/>'s mask (its first marked pixel).</summary>
    private static (int Top, int Left) Corner(LabeledData data, int m, int canvas)
    {
        var first = Array.IndexOf(data.ObjectMask(m), true);
        Assert.True(first >= 0, $"sample {m} has an empty mask");
        return Math.DivRem(first, canvas);
    }

    [Fact]
    public void Box_masks_are_28x28_squares_inside_the_canvas_holding_an_item_of_the_sample_class_from_the_right_pool()
    {
        const int canvas = 45;
        var splits = Load(canvas, mask: CanvasMask.Box);
        var itemSplits = Load(canvas, mask: CanvasMask.Item); // the same pixels; tells which item pixels are zero
        var validationStart = FashionMnistMosaic.ValidationPoolStart(TrainFileSize);
        foreach (var (data, items, low, high) in new[]
                 {
                     (splits.Train, itemSplits.Train, 0, validationStart), (splits.Validation, itemSplits.Validation, validationStart, TrainFileSize),
                     (splits.Test, itemSplits.Test, 0, TestFileSize),
                 })
        {
            Assert.Equal(TargetKind.ClassIndex, data.Kind);
            Assert.Equal([1L, canvas, canvas], data.SampleShape);
            Assert.Equal(canvas * canvas, data.ObjectMaskSize);
            Assert.Equal((long)data.Count * canvas * canvas, data.ObjectMasks!.LongLength);
            var tops = new HashSet<int>();
            for (var m = 0; m < data.Count; m++)
            {
                var mask = data.ObjectMask(m);
                Assert.Equal(Side * Side, mask.Count(b => b));
                var (top, left) = Corner(data, m, canvas);
                Assert.InRange(top, 0, canvas - Side);
                Assert.InRange(left, 0, canvas - Side);
                for (var r = 0; r < Side; r++)
                    for (var c = 0; c < Side; c++)
                        Assert.True(mask[(top + r) * canvas + left + c]);
                tops.Add(top);

                var origin = m * data.SampleSize + top * canvas + left;
                Assert.Equal(1f, data.Inputs[origin + 2]); // the synthetic item's marker
                // The synthetic items here are < 256, so pixel 1 is 0 and shows the texture; pixel 0 is k, or the texture for item 0.
                Assert.False(items.ObjectMasks![m * data.ObjectMaskSize + top * canvas + left + 1]);
                var k = items.ObjectMasks[m * data.ObjectMaskSize + top * canvas + left] ? (int)MathF.Round(data.Inputs[origin] * 255f) : 0;
                Assert.InRange(k, low, high - 1);
                Assert.Equal(k % 10, data.Labels[m]);
            }
            Assert.True(tops.Count > 5, $"only {tops.Count} distinct rows for the item's top"); // positions are spread
        }
    }

    [Fact]
    public void Item_masks_are_the_item_nonzero_pixels_which_replace_the_texture_and_the_mask_kind_changes_no_pixel()
    {
        const int canvas = 40;
        var boxes = Load(canvas, mask: CanvasMask.Box, seed: 8);
        var items = Load(canvas, mask: CanvasMask.Item, seed: 8);
        Assert.Equal(boxes.Train.Inputs, items.Train.Inputs);
        Assert.Equal(boxes.Test.Labels, items.Test.Labels);

        foreach (var (box, item, file) in new[] { (boxes.Train, items.Train, _trainImages), (boxes.Test, items.Test, _testImages) })
        {
            for (var m = 0; m < item.Count; m++)
            {
                var (top, left) = Corner(box, m, canvas);
                var mask = item.ObjectMask(m);
                // Which file item: any with this label whose nonzero pattern matches the mask (items differ only in pixels 0 and 1).
                var origin = m * item.SampleSize + top * canvas + left;
                var k = Enumerable.Range(0, file.Length / (Side * Side)).Single(i =>
                    i % 10 == item.Labels[m] &&
                    Enumerable.Range(0, 2).All(p => (file[i * Side * Side + p] != 0) == mask[top * canvas + left + p]) &&
                    Enumerable.Range(0, 2).All(p => file[i * Side * Side + p] == 0 || MathF.Round(item.Inputs[origin + p] * 255f) == file[i * Side * Side + p]));
                var pixels = file.AsSpan(k * Side * Side, Side * Side);
                Assert.Equal(pixels.ToArray().Count(b => b != 0), mask.Count(b => b)); // the mask's area is the item's nonzero pixels
                for (var r = 0; r < Side; r++)
                    for (var c = 0; c < Side; c++)
                    {
                        var at = (top + r) * canvas + left + c;
                        var value = pixels[r * Side + c];
                        Assert.Equal(value != 0, mask[at]);
                        if (value != 0) Assert.Equal(value / 255f, item.Inputs[m * item.SampleSize + at]);
                    }
            }
        }
    }

    [Fact]
    public void The_background_outside_the_mask_is_the_stated_texture()
    {
        const double texture = 0.3;
        var data = Load(56, texture, CanvasMask.Box, train: 400, seed: 2).Train;
        var sum = 0.0;
        var squares = 0.0;
        var count = 0L;
        var min = double.MaxValue;
        var max = double.MinValue;
        var sampleStds = new List<double>();
        for (var m = 0; m < data.Count; m++)
        {
            var mask = data.ObjectMask(m);
            var values = Enumerable.Range(0, mask.Length).Where(i => !mask[i]).Select(i => (double)data.Inputs[m * data.SampleSize + i]).ToArray();
            sum += values.Sum();
            squares += values.Sum(v => v * v);
            count += values.Length;
            min = Math.Min(min, values.Min());
            max = Math.Max(max, values.Max());
            var mean = values.Average();
            sampleStds.Add(Math.Sqrt(values.Average(v => (v - mean) * (v - mean))));
        }
        var pooledMean = sum / count;
        var pooledStd = Math.Sqrt(squares / count - pooledMean * pooledMean);
        // Per pixel: mean texture / 2 = 0.15, sd texture / √24 ≈ 0.0612 (uniform phases).
        Assert.InRange(pooledMean, 0.47 * texture, 0.53 * texture);
        Assert.InRange(pooledStd, 0.18 * texture, 0.23 * texture);
        Assert.InRange(min, 0, 0.1 * texture);
        Assert.InRange(max, 0.9 * texture, texture);
        // Low contrast but never flat: every canvas has visible texture.
        Assert.All(sampleStds, s => Assert.InRange(s, 0.02 * texture, 0.4 * texture));
    }

    [Fact]
    public void Texture_zero_gives_a_black_background()
    {
        var data = Load(33, texture: 0, mask: CanvasMask.Item, test: 20).Test;
        for (var m = 0; m < data.Count; m++)
        {
            var mask = data.ObjectMask(m);
            for (var i = 0; i < mask.Length; i++)
                Assert.Equal(mask[i], data.Inputs[m * data.SampleSize + i] != 0f);
        }
    }

    [Fact]
    public void The_seed_fixes_everything_and_each_split_has_its_own_stream()
    {
        var a = Load(seed: 9);
        var b = Load(seed: 9);
        var other = Load(seed: 10);
        var moreTrain = Load(train: 150, seed: 9);

        Assert.Equal(a.Train.Inputs, b.Train.Inputs);
        Assert.Equal(a.Train.ObjectMasks, b.Train.ObjectMasks);
        Assert.Equal(a.Test.Labels, b.Test.Labels);
        Assert.NotEqual(a.Train.Inputs, other.Train.Inputs);
        Assert.NotEqual(a.Validation.ObjectMasks, other.Validation.ObjectMasks);
        // More training samples: the first ones, validation and test stay as they were.
        Assert.Equal(a.Train.Inputs, moreTrain.Train.Inputs.AsSpan(0, a.Train.Inputs.Length).ToArray());
        Assert.Equal(a.Train.ObjectMasks, moreTrain.Train.ObjectMasks!.AsSpan(0, a.Train.ObjectMasks!.Length).ToArray());
        Assert.Equal(a.Validation.Inputs, moreTrain.Validation.Inputs);
        Assert.Equal(a.Test.ObjectMasks, moreTrain.Test.ObjectMasks);
    }

    [Fact]
    public void A_28_pixel_canvas_holds_the_item_at_the_origin()
    {
        var data = Load(28, mask: CanvasMask.Box, train: 5).Train;
        Assert.All(data.ObjectMasks!, Assert.True);
    }

    [Fact]
    public void Bad_parameters_are_refused_before_reading_anything()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FashionMnistCanvas.Load("/nowhere", 27, 1.5, CanvasMask.Item, 0, 1, 1, seed: 0));
        Assert.StartsWith("Fashion-MNIST canvas parameters are invalid: ", error.Message);
        Assert.Contains("canvas must be in [28, 224] pixels a side (got 27)", error.Message);
        Assert.Contains("texture must be in [0, 1]", error.Message);
        Assert.Contains("trainCount must be at least 1 (got 0)", error.Message);
    }

    [Fact]
    public void A_folder_too_small_for_a_validation_pool_is_refused()
    {
        using var small = new TemporaryFolder();
        SyntheticFashionMnistFolder.Write(small.Path, trainCount: 5, testCount: 3, gzip: false);
        var error = Assert.Throws<ArgumentException>(() =>
            FashionMnistCanvas.Load(small.Path, 56, 0.2, CanvasMask.Item, 4, 4, 4, seed: 0));
        Assert.Contains("5 training", error.Message);
    }

    [Fact]
    public void Catalog_describes_the_canvases_without_loading_them()
    {
        var none = new Dictionary<string, string>();
        Assert.Contains("fashion-mnist-canvas", DatasetCatalog.Names);
        Assert.Empty(DatasetCatalog.Validate("fashion-mnist-canvas", none));
        Assert.Equal(TargetKind.ClassIndex, DatasetCatalog.TargetKindOf("fashion-mnist-canvas"));
        Assert.False(DatasetCatalog.IsMultiLabel("fashion-mnist-canvas"));
        Assert.Null(DatasetCatalog.TargetShape("fashion-mnist-canvas", none));
        Assert.Equal(10, DatasetCatalog.ClassCount("fashion-mnist-canvas"));
        Assert.Equal([1L, 56, 56], DatasetCatalog.SampleShape("fashion-mnist-canvas", none));
        Assert.Equal([12_000, 3_000, 3_000], DatasetCatalog.SplitSizes("fashion-mnist-canvas", none));
        Assert.Equal(["root", "canvas", "texture", "mask", "trainCount", "validationCount", "testCount"], DatasetCatalog.ParameterNames("fashion-mnist-canvas"));

        var small = new Dictionary<string, string> { ["canvas"] = "64", ["texture"] = "0.1", ["mask"] = "box", ["trainCount"] = "7" };
        Assert.Empty(DatasetCatalog.Validate("fashion-mnist-canvas", small));
        Assert.Equal([1L, 64, 64], DatasetCatalog.SampleShape("fashion-mnist-canvas", small));
        Assert.Equal([7, 3_000, 3_000], DatasetCatalog.SplitSizes("fashion-mnist-canvas", small));
    }

    [Fact]
    public void Catalog_reports_every_problem_at_once()
    {
        var problems = DatasetCatalog.Validate("fashion-mnist-canvas", new Dictionary<string, string>
        {
            ["root"] = " ", ["canvas"] = "20", ["texture"] = "-0.5", ["testCount"] = "0", ["Canvas"] = "56", ["noise"] = "1",
        });

        Assert.Equal(6, problems.Count);
        Assert.All(problems, p => Assert.StartsWith("dataset 'fashion-mnist-canvas': ", p));
        Assert.Contains(problems, p => p.Contains("unknown parameter 'Canvas' (did you mean 'canvas'?)") &&
                                       p.Contains("allowed parameters are root, canvas, texture, mask, trainCount, validationCount, testCount"));
        Assert.Contains(problems, p => p.Contains("unknown parameter 'noise'"));
        Assert.Contains(problems, p => p.Contains("'root' is empty"));
        Assert.Contains(problems, p => p.Contains("canvas must be in [28, 224] pixels a side (got 20)"));
        Assert.Contains(problems, p => p.Contains("texture must be in [0, 1]") && p.Contains("(got -0.5)"));
        Assert.Contains(problems, p => p.Contains("testCount must be at least 1"));

        var tooMany = Assert.Single(DatasetCatalog.Validate("fashion-mnist-canvas", new Dictionary<string, string> { ["canvas"] = "224", ["trainCount"] = "99999" }));
        Assert.Contains("trainCount = 99999 canvases of 50176 pixels do not fit in one array", tooMany);

        // Ranges are checked once everything parses.
        var unparsed = DatasetCatalog.Validate("fashion-mnist-canvas", new Dictionary<string, string> { ["canvas"] = "big", ["texture"] = "low", ["mask"] = "pixels" });
        Assert.Equal(3, unparsed.Count);
        Assert.Contains(unparsed, p => p.Contains("'canvas' must be an integer (got 'big')"));
        Assert.Contains(unparsed, p => p.Contains("'texture' must be a number") && p.Contains("(got 'low')"));
        Assert.Contains(unparsed, p => p.Contains("'mask' must be 'item' (the item's nonzero pixels) or 'box' (its 28x28 box) (got 'pixels')"));
        Assert.Contains("texture must be in [0, 1]", Assert.Single(DatasetCatalog.Validate("fashion-mnist-canvas", new Dictionary<string, string> { ["texture"] = "NaN" })));
    }

    [Fact]
    public void Catalog_loads_from_the_root_parameter()
    {
        var data = DatasetCatalog.Load("fashion-mnist-canvas", new Dictionary<string, string>
        {
            ["root"] = _folder.Path, ["canvas"] = "36", ["mask"] = "box", ["trainCount"] = "8", ["validationCount"] = "4", ["testCount"] = "2",
        }, seed: 1);
        Assert.Equal((8, 4, 2), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal([1L, 36, 36], data.SampleShape);
        Assert.Equal(TargetKind.ClassIndex, data.Kind);
        Assert.All(new[] { data.Train, data.Validation, data.Test }, s => Assert.Equal(s.Count * 784, s.ObjectMasks!.Count(b => b)));
    }

    [Fact]
    public void Real_images_make_canvases_in_the_unit_range_with_their_item_masks()
    {
        Assert.True(Directory.Exists(FashionMnist.DefaultFolder), $"Fashion-MNIST is not installed. Fix: {FashionMnist.InstallHint}.");
        const double texture = 0.25;
        var data = FashionMnistCanvas.Load(FashionMnist.DefaultFolder, 56, texture, CanvasMask.Item, 64, 16, 16, seed: 2);

        Assert.Equal((64, 16, 16), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.All(data.Train.Inputs, v => Assert.InRange(v, 0f, 1f));
        Assert.All(data.Train.Labels, l => Assert.InRange(l, 0L, 9L));
        for (var m = 0; m < data.Train.Count; m++)
        {
            var mask = data.Train.ObjectMask(m);
            var marked = Enumerable.Range(0, mask.Length).Where(i => mask[i]).ToArray();
            Assert.InRange(marked.Length, 50, 784); // real items cover part of their box
            // The marked pixels fit in a 28x28 box.
            Assert.InRange(marked.Max(i => i / 56) - marked.Min(i => i / 56), 0, 27);
            Assert.InRange(marked.Max(i => i % 56) - marked.Min(i => i % 56), 0, 27);
            Assert.All(Enumerable.Range(0, mask.Length).Where(i => !mask[i]), i => Assert.InRange(data.Train.Inputs[m * 3136 + i], 0f, (float)texture));
        }
    }
}
