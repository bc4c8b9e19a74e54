namespace ProbeGrid.Analysis.Data;

/// <summary>
/// Multi-label Fashion-MNIST ("fashion-mnist-mosaic"), a small stand-in for the VOC/COCO
/// multi-label sets of the Wasserstein layer-behaviour paper: each sample is a canvas of
/// grid x grid cells, a uniformly drawn number of them (in [minItems, maxItems]) holding a real
/// Fashion-MNIST image, the rest blank (0). Its label set is the classes present (multi-hot in
/// <see cref="LabeledData.LabelSets"/>; two items of one class count once).
/// Train and validation mosaics are drawn from disjoint pools of the training file (the first
/// five sixths and the last sixth: 50 000 and 10 000 images in the standard set), test mosaics
/// from the t10k file, so no image is seen in two splits. Images are drawn with replacement, so a
/// split may hold more mosaics than its pool has images. Each split has its own random stream:
/// changing one split's size leaves the others as they were.
/// </summary>
public static class FashionMnistMosaic
{
    public const int DefaultTrainCount = 12_000;
    public const int DefaultValidationCount = 3_000;
    public const int DefaultTestCount = 3_000;

    public const int ClassCount = FashionMnist.ClassCount;

    // Streams apart from FashionMnist's (0, 1), so a mosaic set never echoes a plain split's order.
    private const int TrainStream = 10;
    private const int ValidationStream = 11;
    private const int TestStream = 12;

    private const int Side = FashionMnist.ImageSide;
    private const int PixelsPerImage = Side * Side;

    /// <summary>Index of the first training-file image in the validation pool (50 000 of 60 000).</summary>
    public static int ValidationPoolStart(int trainFileSize) => trainFileSize - trainFileSize / 6;

    /// <summary>
    /// Train, validation and test mosaics built from the Fashion-MNIST files in
    /// <paramref name="folder"/>, all determined by <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The layout or a count is invalid; the message lists every problem.</exception>
    /// <exception cref="FileNotFoundException">The folder or one of its files is missing.</exception>
    /// <exception cref="IdxFormatException">A file is damaged or the files disagree.</exception>
    public static DatasetSplits Load(string folder, MosaicLayout layout, int trainCount, int validationCount, int testCount, long seed)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var problems = ParameterProblems(layout, trainCount, validationCount, testCount);
        if (problems.Count > 0)
            throw new ArgumentException("Fashion-MNIST mosaic parameters are invalid: " + string.Join("; ", problems) + ".");

        var trainFile = FashionMnist.ReadTrainFile(folder);
        var testFile = FashionMnist.ReadTestFile(folder);
        var validationStart = ValidationPoolStart(trainFile.Count);
        if (validationStart == trainFile.Count || testFile.Count == 0)
            throw new ArgumentException(
                $"the Fashion-MNIST files in '{folder}' hold {trainFile.Count} training and {testFile.Count} test images, too few for mosaics: " +
                "the training file needs at least 6 (a sixth of it is the validation pool) and the test file at least 1.");

        return new DatasetSplits(
            Compose(trainFile, 0, validationStart, layout, trainCount, SeededRandom.Create(seed, TrainStream)),
            Compose(trainFile, validationStart, trainFile.Count - validationStart, layout, validationCount, SeededRandom.Create(seed, ValidationStream)),
            Compose(testFile, 0, testFile.Count, layout, testCount, SeededRandom.Create(seed, TestStream)));
    }

    /// <summary>Every problem with the layout and the split sizes, without reading anything.</summary>
    internal static IReadOnlyList<string> ParameterProblems(MosaicLayout layout, int trainCount, int validationCount, int testCount)
    {
        var problems = layout.Problems().ToList();
        // Each split lives in one float array; only a valid layout has a canvas size to check against.
        var sampleSize = problems.Count == 0 ? (long)layout.CanvasSide * layout.CanvasSide : 1;
        var maxCount = Array.MaxLength / sampleSize;
        foreach (var (name, count) in new[] { ("trainCount", trainCount), ("validationCount", validationCount), ("testCount", testCount) })
        {
            if (count < 1)
                problems.Add($"{name} must be at least 1 (got {count})");
            else if (count > maxCount)
                problems.Add($"{name} = {count} mosaics of {sampleSize} pixels do not fit in one array; at most {maxCount} (lower it, or use itemSize={MosaicLayout.HalfItemSize})");
        }
        return problems;
    }

    /// <summary><paramref name="count"/> mosaics of images drawn from file items [poolStart, poolStart + poolSize).</summary>
    private static LabeledData Compose(FashionMnist.RawSet file, int poolStart, int poolSize, MosaicLayout layout, int count, Random random)
    {
        var side = layout.CanvasSide;
        var sampleSize = side * side;
        var inputs = new float[(long)count * sampleSize]; // zero: blank cells stay black, like the images' background
        var labelSets = new float[(long)count * ClassCount];
        var cells = new int[layout.CellCount];
        for (var m = 0; m < count; m++)
        {
            var items = random.Next(layout.MinItems, layout.MaxItems + 1);
            // The first `items` entries of a partial Fisher–Yates shuffle: distinct cells, uniformly.
            for (var c = 0; c < cells.Length; c++) cells[c] = c;
            for (var i = 0; i < items; i++)
            {
                var j = random.Next(i, cells.Length);
                (cells[i], cells[j]) = (cells[j], cells[i]);
            }
            var canvas = inputs.AsSpan(m * sampleSize, sampleSize);
            for (var i = 0; i < items; i++)
            {
                var image = poolStart + random.Next(poolSize);
                var (row, column) = Math.DivRem(cells[i], layout.Grid);
                var pixels = file.Pixels.AsSpan(image * PixelsPerImage, PixelsPerImage);
                Place(pixels, canvas, side, row * layout.ItemSize, column * layout.ItemSize, layout.ItemSize);
                labelSets[(long)m * ClassCount + file.Labels[image]] = 1;
            }
        }
        var labels = new long[count];
        Array.Fill(labels, -1); // multi-label: no one class stands for a mosaic
        return new LabeledData(inputs, layout.SampleShape, labels, ClassCount) { LabelSets = labelSets };
    }

    /// <summary>Writes one item into the canvas at (top, left), scaled to [0, 1] as the plain loader does; a 14-pixel item is the 2x2 mean.</summary>
    private static void Place(ReadOnlySpan<byte> pixels, Span<float> canvas, int canvasSide, int top, int left, int itemSize)
    {
        var scale = FashionMnist.PixelScale;
        if (itemSize == Side)
        {
            for (var r = 0; r < Side; r++)
            {
                var source = pixels.Slice(r * Side, Side);
                var target = canvas.Slice((top + r) * canvasSide + left, Side);
                for (var c = 0; c < Side; c++) target[c] = scale[source[c]];
            }
            return;
        }
        for (var r = 0; r < itemSize; r++)
        {
            var upper = pixels.Slice(2 * r * Side, Side);
            var lower = pixels.Slice((2 * r + 1) * Side, Side);
            var target = canvas.Slice((top + r) * canvasSide + left, itemSize);
            for (var c = 0; c < itemSize; c++)
                target[c] = (upper[2 * c] + upper[2 * c + 1] + lower[2 * c] + lower[2 * c + 1]) / (4f * 255f);
        }
    }
}
