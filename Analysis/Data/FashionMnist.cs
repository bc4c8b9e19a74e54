namespace ProbeGrid.Analysis.Data;

/// <summary>
/// Fashion-MNIST (Xiao et al. 2017): 28x28 grey images of 10 kinds of clothing, 60 000 for
/// training and 10 000 for testing, read from the IDX files of Debian's dataset-fashion-mnist
/// package. Pixels are scaled to [0, 1]; samples have shape [1, 28, 28].
/// </summary>
public static class FashionMnist
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    public const int ImageSide = 28;
    public const int ClassCount = 10;
    /// <summary>Images in the standard training file (validation is carved out of these).</summary>
    public const int StandardTrainSetSize = 60_000;
    /// <summary>Images in the standard t10k test file.</summary>
    public const int StandardTestSetSize = 10_000;

    public const string TrainImagesFile = "train-images-idx3-ubyte";
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";
    public const string TestImagesFile = "t10k-images-idx3-ubyte";
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>How to get the files, named in every error about missing ones.</summary>
    public const string InstallHint =
        "run scripts/bootstrap (it installs Debian's dataset-fashion-mnist) or `sudo apt-get install dataset-fashion-mnist`, " +
        "or point the dataset root at a folder holding the four IDX files (raw or .gz)";

    private const string ReinstallHint =
        "reinstall Debian's dataset-fashion-mnist (`sudo apt-get install --reinstall dataset-fashion-mnist`) or check the file";

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Shape of one sample: one channel of 28x28 pixels (a new array each call).</summary>
    public static long[] SampleShape => [1, ImageSide, ImageSide];

    private const int PixelsPerImage = ImageSide * ImageSide;

    // byte -> [0, 1] by table: exact b / 255f without a division per pixel.
    internal static readonly float[] PixelScale = Enumerable.Range(0, 256).Select(b => b / 255f).ToArray();

    /// <summary>The whole training file (60 000 images in the standard set), in file order.</summary>
    public static LabeledData LoadTrainSet(string folder = DefaultFolder)
    {
        var set = ReadSet(folder, TrainImagesFile, TrainLabelsFile);
        return Select(set, AllIndices(set.Count));
    }

    /// <summary>The whole t10k test file (10 000 images in the standard set), in file order.</summary>
    public static LabeledData LoadTestSet(string folder = DefaultFolder)
    {
        var set = ReadSet(folder, TestImagesFile, TestLabelsFile);
        return Select(set, AllIndices(set.Count));
    }

    /// <summary>
    /// Train, validation and test splits. A seeded shuffle of the training file gives validation
    /// its first <paramref name="validationCount"/> items and train the next
    /// <paramref name="trainCount"/> (so the two never overlap, and the validation set does not
    /// move when only <paramref name="trainCount"/> changes). Test is a seeded sample of the t10k
    /// file, or all of it in file order when <paramref name="testCount"/> covers it.
    /// </summary>
    /// <exception cref="ArgumentException">A count is out of range; the message lists every problem.</exception>
    /// <exception cref="FileNotFoundException">The folder or one of its files is missing.</exception>
    /// <exception cref="IdxFormatException">A file is damaged or the files disagree.</exception>
    public static DatasetSplits Load(string folder, int trainCount, int validationCount, int testCount, long seed)
    {
        ThrowIfAny(CountProblems(trainCount, validationCount, testCount, StandardTrainSetSize, StandardTestSetSize));

        var train = ReadSet(folder, TrainImagesFile, TrainLabelsFile);
        var test = ReadSet(folder, TestImagesFile, TestLabelsFile);
        // A folder may hold a smaller (or larger) set than the standard one: check against what is there.
        ThrowIfAny(CountProblems(trainCount, validationCount, testCount, train.Count, test.Count));

        var (trainIndices, validationIndices) = TrainValidationIndices(train.Count, trainCount, validationCount, seed);
        var testIndices = TestIndices(test.Count, testCount, seed);
        return new DatasetSplits(Select(train, trainIndices), Select(train, validationIndices), Select(test, testIndices));
    }

    /// <summary>Every problem with the split sizes, checked against training and test files of the given sizes.</summary>
    internal static IReadOnlyList<string> CountProblems(int trainCount, int validationCount, int testCount,
        int trainSetSize = StandardTrainSetSize, int testSetSize = StandardTestSetSize)
    {
        var problems = new List<string>();
        if (trainCount < 1) problems.Add($"trainCount must be at least 1 (got {trainCount})");
        if (validationCount < 1) problems.Add($"validationCount must be at least 1 (got {validationCount})");
        if (testCount < 1) problems.Add($"testCount must be at least 1 (got {testCount})");
        if ((long)trainCount + validationCount > trainSetSize)
            problems.Add($"trainCount + validationCount must be at most {trainSetSize}, the size of Fashion-MNIST's training file " +
                         $"(got {trainCount} + {validationCount} = {(long)trainCount + validationCount}); lower one of them");
        if (testCount > testSetSize)
            problems.Add($"testCount must be at most {testSetSize}, the size of Fashion-MNIST's t10k test file (got {testCount})");
        return problems;
    }

    /// <summary>Indices into the training file: validation first from one seeded permutation, train after it.</summary>
    internal static (int[] Train, int[] Validation) TrainValidationIndices(int setSize, int trainCount, int validationCount, long seed)
    {
        var order = SeededRandom.Permutation(setSize, SeededRandom.Create(seed, stream: 0));
        return (order[validationCount..(validationCount + trainCount)], order[..validationCount]);
    }

    internal static int[] TestIndices(int setSize, int testCount, long seed) =>
        testCount == setSize ? AllIndices(setSize) : SeededRandom.Permutation(setSize, SeededRandom.Create(seed, stream: 1))[..testCount];

    private static int[] AllIndices(int count) => Enumerable.Range(0, count).ToArray();

    private static void ThrowIfAny(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
            throw new ArgumentException("Fashion-MNIST split sizes are invalid: " + string.Join("; ", problems) + ".");
    }

    /// <summary>The training file's images (row-major bytes) and labels, unconverted.</summary>
    internal static RawSet ReadTrainFile(string folder) => ReadSet(folder, TrainImagesFile, TrainLabelsFile);

    /// <summary>The t10k file's images (row-major bytes) and labels, unconverted.</summary>
    internal static RawSet ReadTestFile(string folder) => ReadSet(folder, TestImagesFile, TestLabelsFile);

    /// <summary>Images kept as bytes until the selected ones are converted, so a split costs no full float copy.</summary>
    internal sealed record RawSet(byte[] Pixels, byte[] Labels)
    {
        public int Count => Labels.Length;
    }

    private static RawSet ReadSet(string folder, string imagesName, string labelsName)
    {
        if (!Directory.Exists(folder))
            throw new FileNotFoundException(
                $"Fashion-MNIST folder '{folder}' does not exist. Fix: {InstallHint}.", folder);
        var imagesPath = FindFile(folder, imagesName);
        var labelsPath = FindFile(folder, labelsName);

        var images = IdxReader.Read(imagesPath, 3, IdxElementType.UnsignedByte, ReinstallHint);
        if (images.Dimensions[1] != ImageSide || images.Dimensions[2] != ImageSide)
            throw new IdxFormatException(imagesPath,
                $"images are {images.Dimensions[1]}x{images.Dimensions[2]} pixels but Fashion-MNIST's are {ImageSide}x{ImageSide}", ReinstallHint);
        var labels = IdxReader.Read(labelsPath, 1, IdxElementType.UnsignedByte, ReinstallHint);
        if (images.Count != labels.Count)
            throw new IdxFormatException(imagesPath,
                $"image count {images.Count} differs from the label count {labels.Count} in {labelsPath}; the two files must describe the same samples",
                ReinstallHint);

        var labelBytes = labels.Payload;
        for (var i = 0; i < labelBytes.Length; i++)
            if (labelBytes[i] >= ClassCount)
                throw new IdxFormatException(labelsPath,
                    $"label {labelBytes[i]} at index {i} is out of range: Fashion-MNIST labels are 0..{ClassCount - 1}", ReinstallHint);

        return new RawSet(images.Payload, labelBytes);
    }

    /// <summary>The raw file if present, else its .gz (Debian installs the .gz).</summary>
    private static string FindFile(string folder, string name)
    {
        var raw = Path.Combine(folder, name);
        if (File.Exists(raw)) return raw;
        var gz = raw + ".gz";
        if (File.Exists(gz)) return gz;
        throw new FileNotFoundException(
            $"Fashion-MNIST file '{name}' (or '{name}.gz') is missing from '{folder}'. Fix: {InstallHint}.", gz);
    }

    private static LabeledData Select(RawSet set, int[] indices)
    {
        var inputs = GC.AllocateUninitializedArray<float>(checked(indices.Length * PixelsPerImage));
        var labels = new long[indices.Length];
        var scale = PixelScale;
        for (var k = 0; k < indices.Length; k++)
        {
            var source = set.Pixels.AsSpan(indices[k] * PixelsPerImage, PixelsPerImage);
            var target = inputs.AsSpan(k * PixelsPerImage, PixelsPerImage);
            for (var j = 0; j < source.Length; j++) target[j] = scale[source[j]];
            labels[k] = set.Labels[indices[k]];
        }
        return new LabeledData(inputs, SampleShape, labels, ClassCount);
    }
}
