namespace ProbeGrid.Analysis.Data;

/// <summary>Which pixels of a <see cref="FashionMnistCanvas"/> sample count as the object Λ.</summary>
public enum CanvasMask
{
    /// <summary>The item's nonzero pixels: exactly the pixels that show the item rather than the background.</summary>
    Item,

    /// <summary>The item's whole 28x28 box, as bounding-box annotations (CUB) give it.</summary>
    Box,
}

/// <summary>
/// Single-label Fashion-MNIST on a textured canvas ("fashion-mnist-canvas"), for the layerwise
/// information-discarding analyses, which need each input's object pixels Λ: each sample is one
/// Fashion-MNIST item (label: its class) placed at a uniformly drawn position on a
/// canvas x canvas background, so the item lies wholly inside the canvas and its mask is known
/// exactly (<see cref="LabeledData.ObjectMasks"/>, one row of canvas² per sample).
/// <para>
/// The background is a smooth, low-contrast texture drawn afresh for each sample: the mean of
/// <see cref="GratingCount"/> sinusoid gratings, each with a uniform orientation in [0, π), a
/// uniform wavelength in [<see cref="MinWavelength"/>, <see cref="MaxWavelength"/>) pixels and a
/// uniform phase, mapped to [0, texture] as texture · (1 + g) / 2. Since each phase is uniform, every
/// background pixel has mean texture / 2 and standard deviation texture / √(8 · GratingCount)
/// ≈ 0.204 · texture; texture 0 gives the plain black background of Fashion-MNIST. The item is
/// pasted over it pixel by pixel: its nonzero pixels replace the background, its zero (black)
/// pixels let the texture through, so the item's box does not show as a black square.
/// </para>
/// Train and validation samples draw their items from disjoint pools of the training file (the
/// first five sixths and the last sixth), test samples from the t10k file, as
/// <see cref="FashionMnistMosaic"/> does; items are drawn with replacement (a repeated item gets
/// a new position and texture). Each split has its own random stream, and a sample's draws come
/// one after another, so changing one split's size leaves the others (and its own first samples)
/// as they were.
/// </summary>
public static class FashionMnistCanvas
{
    public const int DefaultCanvas = 56;
    public const int MinCanvas = FashionMnist.ImageSide;
    /// <summary>8 items a side, as the largest mosaic.</summary>
    public const int MaxCanvas = 8 * FashionMnist.ImageSide;
    public const double DefaultTexture = 0.25;
    public const CanvasMask DefaultMask = CanvasMask.Item;

    public const int DefaultTrainCount = 12_000;
    public const int DefaultValidationCount = 3_000;
    public const int DefaultTestCount = 3_000;

    public const int ClassCount = FashionMnist.ClassCount;

    /// <summary>Gratings summed into one background.</summary>
    public const int GratingCount = 3;
    public const double MinWavelength = 8;
    public const double MaxWavelength = 28;

    // Streams apart from FashionMnist's (0, 1) and the mosaics' (10-12).
    private const int TrainStream = 20;
    private const int ValidationStream = 21;
    private const int TestStream = 22;

    private const int Side = FashionMnist.ImageSide;
    private const int PixelsPerImage = Side * Side;

    /// <summary>One channel: [1, canvas, canvas].</summary>
    public static long[] SampleShape(int canvas) => [1, canvas, canvas];

    /// <summary>
    /// Train, validation and test samples built from the Fashion-MNIST files in
    /// <paramref name="folder"/>, all determined by <paramref name="seed"/>; every split carries its
    /// object masks. The mask kind changes no pixel: only which pixels the masks mark.
    /// </summary>
    /// <exception cref="ArgumentException">A parameter is invalid; the message lists every problem.</exception>
    /// <exception cref="FileNotFoundException">The folder or one of its files is missing.</exception>
    /// <exception cref="IdxFormatException">A file is damaged or the files disagree.</exception>
    public static DatasetSplits Load(string folder, int canvas, double texture, CanvasMask mask,
        int trainCount, int validationCount, int testCount, long seed)
    {
        var problems = ParameterProblems(canvas, texture, trainCount, validationCount, testCount);
        if (!Enum.IsDefined(mask))
            problems = [.. problems, $"mask must be {MaskName(CanvasMask.Item)} or {MaskName(CanvasMask.Box)} (got {(int)mask})"];
        if (problems.Count > 0)
            throw new ArgumentException("Fashion-MNIST canvas parameters are invalid: " + string.Join("; ", problems) + ".");

        var trainFile = FashionMnist.ReadTrainFile(folder);
        var testFile = FashionMnist.ReadTestFile(folder);
        var validationStart = FashionMnistMosaic.ValidationPoolStart(trainFile.Count);
        if (validationStart == trainFile.Count || testFile.Count == 0)
            throw new ArgumentException(
                $"the Fashion-MNIST files in '{folder}' hold {trainFile.Count} training and {testFile.Count} test images, too few for canvases: " +
                "the training file needs at least 6 (a sixth of it is the validation pool) and the test file at least 1.");

        var settings = new Settings(canvas, texture, mask);
        return new DatasetSplits(
            Compose(trainFile, 0, validationStart, settings, trainCount, SeededRandom.Create(seed, TrainStream)),
            Compose(trainFile, validationStart, trainFile.Count - validationStart, settings, validationCount, SeededRandom.Create(seed, ValidationStream)),
            Compose(testFile, 0, testFile.Count, settings, testCount, SeededRandom.Create(seed, TestStream)));
    }

    /// <summary>The name a spec gives a mask kind: "item" or "box".</summary>
    public static string MaskName(CanvasMask mask) => mask.ToString().ToLowerInvariant();

    /// <summary>Every problem with the canvas, the texture and the split sizes, without reading anything.</summary>
    internal static IReadOnlyList<string> ParameterProblems(int canvas, double texture, int trainCount, int validationCount, int testCount)
    {
        var problems = new List<string>();
        var canvasOk = canvas is >= MinCanvas and <= MaxCanvas;
        if (!canvasOk)
            problems.Add($"canvas must be in [{MinCanvas}, {MaxCanvas}] pixels a side (got {canvas}): a Fashion-MNIST item is {Side}x{Side} and must fit inside");
        if (!(texture is >= 0 and <= 1)) // NaN fails too
            problems.Add($"texture must be in [0, 1], the background's peak brightness (got {texture.ToString(System.Globalization.CultureInfo.InvariantCulture)}); 0 gives a black background");
        // Each split's inputs live in one float array (its masks in one bool array of the same length).
        var sampleSize = canvasOk ? (long)canvas * canvas : 1;
        var maxCount = Array.MaxLength / sampleSize;
        foreach (var (name, count) in new[] { ("trainCount", trainCount), ("validationCount", validationCount), ("testCount", testCount) })
        {
            if (count < 1)
                problems.Add($"{name} must be at least 1 (got {count})");
            else if (count > maxCount)
                problems.Add($"{name} = {count} canvases of {sampleSize} pixels do not fit in one array; at most {maxCount} (lower it, or the canvas)");
        }
        return problems;
    }

    private sealed record Settings(int Canvas, double Texture, CanvasMask Mask);

    /// <summary><paramref name="count"/> samples of items drawn from file items [poolStart, poolStart + poolSize).</summary>
    private static LabeledData Compose(FashionMnist.RawSet file, int poolStart, int poolSize, Settings settings, int count, Random random)
    {
        var side = settings.Canvas;
        var sampleSize = side * side;
        var inputs = new float[(long)count * sampleSize];
        var masks = new bool[(long)count * sampleSize];
        var labels = new long[count];
        var scale = FashionMnist.PixelScale;
        for (var m = 0; m < count; m++)
        {
            var image = poolStart + random.Next(poolSize);
            var top = random.Next(side - Side + 1);
            var left = random.Next(side - Side + 1);
            var canvas = inputs.AsSpan(m * sampleSize, sampleSize);
            var mask = masks.AsSpan(m * sampleSize, sampleSize);
            PaintTexture(canvas, side, settings.Texture, random);
            var pixels = file.Pixels.AsSpan(image * PixelsPerImage, PixelsPerImage);
            for (var r = 0; r < Side; r++)
            {
                var source = pixels.Slice(r * Side, Side);
                var target = canvas.Slice((top + r) * side + left, Side);
                var marks = mask.Slice((top + r) * side + left, Side);
                for (var c = 0; c < Side; c++)
                {
                    if (source[c] != 0) target[c] = scale[source[c]];
                    marks[c] = settings.Mask == CanvasMask.Box || source[c] != 0;
                }
            }
            labels[m] = file.Labels[image];
        }
        return new LabeledData(inputs, SampleShape(side), labels, ClassCount) { ObjectMasks = masks };
    }

    /// <summary>texture · (1 + g) / 2, g the mean of <see cref="GratingCount"/> random gratings (see the class summary).</summary>
    private static void PaintTexture(Span<float> canvas, int side, double texture, Random random)
    {
        // cos(u·c + v·r + φ) = cos(u·c + φ) cos(v·r) − sin(u·c + φ) sin(v·r): two tables per grating, two products per pixel.
        var columnCos = new double[GratingCount * side];
        var columnSin = new double[GratingCount * side];
        var rowCos = new double[GratingCount * side];
        var rowSin = new double[GratingCount * side];
        for (var k = 0; k < GratingCount; k++)
        {
            var angle = Math.PI * random.NextDouble();
            var wavelength = MinWavelength + (MaxWavelength - MinWavelength) * random.NextDouble();
            var phase = 2 * Math.PI * random.NextDouble();
            var u = 2 * Math.PI * Math.Cos(angle) / wavelength;
            var v = 2 * Math.PI * Math.Sin(angle) / wavelength;
            for (var i = 0; i < side; i++)
            {
                columnCos[k * side + i] = Math.Cos(u * i + phase);
                columnSin[k * side + i] = Math.Sin(u * i + phase);
                rowCos[k * side + i] = Math.Cos(v * i);
                rowSin[k * side + i] = Math.Sin(v * i);
            }
        }
        var half = texture / 2;
        for (var r = 0; r < side; r++)
        {
            var row = canvas.Slice(r * side, side);
            for (var c = 0; c < side; c++)
            {
                var g = 0.0;
                for (var k = 0; k < GratingCount; k++)
                    g += columnCos[k * side + c] * rowCos[k * side + r] - columnSin[k * side + c] * rowSin[k * side + r];
                row[c] = (float)Math.Clamp(half * (1 + g / GratingCount), 0, texture);
            }
        }
    }
}
