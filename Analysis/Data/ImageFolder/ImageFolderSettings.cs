using System.Globalization;

namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// The parameters of an "image-folder" data set, parsed: where the images are, how many each split draws, and
/// torchvision's usual eval transform (Resize, CenterCrop, ToTensor, Normalize). Parsing reads no file.
/// </summary>
/// <param name="Root">the folder holding the class folders, or the split folders.</param>
/// <param name="SplitFolders">train, validation and test folders relative to <paramref name="Root"/> ("" = the root itself).</param>
/// <param name="Counts">train, validation and test sample counts.</param>
/// <param name="Resize">null: no resize; (n, 0): the shorter side to n; (h, w): exactly h x w.</param>
/// <param name="Crop">the centre crop, height and width (also the sample's spatial shape).</param>
/// <param name="Mean">per-channel means subtracted after scaling to [0, 1] (one value per channel).</param>
/// <param name="Std">per-channel standard deviations divided by.</param>
/// <param name="StatedClassCount">the 'classCount' parameter: the class count planning may use without listing folders.</param>
public sealed record ImageFolderSettings(
    string Root,
    string[] SplitFolders,
    int[] Counts,
    (int Height, int Width)? Resize,
    (int Height, int Width) Crop,
    int Channels,
    float[] Mean,
    float[] Std,
    CorruptImagePolicy OnCorrupt,
    int? StatedClassCount)
{
    public const string Train = "train";
    public const string Validation = "validation";
    public const string Test = "test";
    public const string ResizeParameter = "resize";
    public const string CropParameter = "crop";
    public const string MeanParameter = "mean";
    public const string StdParameter = "std";
    public const string NormalizeParameter = "normalize";
    public const string ChannelsParameter = "channels";
    public const string OnCorruptParameter = "onCorrupt";
    public const string ClassCountParameter = "classCount";

    /// <summary>The splits in <see cref="Counts"/> order, as DatasetSplits holds them.</summary>
    public static IReadOnlyList<string> SplitNames { get; } = [Train, Validation, Test];

    /// <summary>torchvision's ImageNet statistics (the normalize=imagenet preset).</summary>
    /// <remarks>Rounded from double as torch.as_tensor(list, dtype=float32) rounds Python's floats.</remarks>
    public static readonly float[] ImageNetMean = [(float)0.485, (float)0.456, (float)0.406];
    public static readonly float[] ImageNetStd = [(float)0.229, (float)0.224, (float)0.225];

    /// <summary>Every parameter the data set accepts.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } =
    [
        DatasetParameters.Root, Train, Validation, Test, DatasetParameters.TrainCount, DatasetParameters.ValidationCount, DatasetParameters.TestCount,
        ResizeParameter, CropParameter, NormalizeParameter, MeanParameter, StdParameter, ChannelsParameter, OnCorruptParameter, ClassCountParameter,
    ];

    /// <summary>One sample's shape: [channels, crop height, crop width].</summary>
    public long[] SampleShape => [Channels, Crop.Height, Crop.Width];

    public long SampleSize => (long)Channels * Crop.Height * Crop.Width;

    /// <summary>The folder split <paramref name="split"/> (0 train, 1 validation, 2 test) draws from.</summary>
    public string SplitFolder(int split) => SplitFolders[split].Length == 0 ? Root : Path.Join(Root, SplitFolders[split]);

    /// <summary>The settings, or null with every problem added to <paramref name="problems"/> (each without the data set's prefix).</summary>
    public static ImageFolderSettings? Parse(IReadOnlyDictionary<string, string> parameters, List<string> problems)
    {
        var before = problems.Count;
        string Get(string name) => parameters.TryGetValue(name, out var v) ? v.Trim() : "";

        var root = Get(DatasetParameters.Root);
        if (root.Length == 0)
            problems.Add($"parameter '{DatasetParameters.Root}' is required: give the folder that holds one subfolder per class (or the split folders)");

        var folders = new string[3];
        for (var s = 0; s < 3; s++)
        {
            folders[s] = Get(SplitNames[s]);
            if (folders[s].Length > 0 && SubfolderProblem(folders[s]) is { } problem)
                problems.Add($"parameter '{SplitNames[s]}' {problem}");
        }

        var counts = new int[3];
        string[] countNames = [DatasetParameters.TrainCount, DatasetParameters.ValidationCount, DatasetParameters.TestCount];
        for (var s = 0; s < 3; s++)
        {
            if (!parameters.TryGetValue(countNames[s], out var text))
                problems.Add($"parameter '{countNames[s]}' is required: the number of {SplitNames[s]} images to draw (the folder's size is not known before it is listed)");
            else if (!IntegerText.TryParse(text, 1, int.MaxValue, out var value, out var outOfRange))
                problems.Add($"parameter '{countNames[s]}' " + (outOfRange ?? $"must be a whole number of images, at least 1 (got '{text}')"));
            else counts[s] = (int)value;
        }

        (int, int)? resize = null;
        if (parameters.TryGetValue(ResizeParameter, out var resizeText))
            resize = Size(ResizeParameter, resizeText, shorterSide: true, problems);
        (int, int) crop = (0, 0);
        if (!parameters.TryGetValue(CropParameter, out var cropText))
            problems.Add($"parameter '{CropParameter}' is required: the centre crop, N or HxW (e.g. 224), which fixes every sample's shape");
        else crop = Size(CropParameter, cropText, shorterSide: false, problems) ?? (0, 0);

        var channels = 3;
        if (parameters.TryGetValue(ChannelsParameter, out var channelText) && channelText.Trim() is not ("3" or "1"))
            problems.Add($"parameter '{ChannelsParameter}' must be 3 (RGB) or 1 (grey, as PIL's convert(\"L\")) (got '{channelText}')");
        else if (channelText?.Trim() == "1") channels = 1;

        var (mean, std) = Normalization(parameters, channels, problems);

        var onCorrupt = CorruptImagePolicy.Fail;
        if (parameters.TryGetValue(OnCorruptParameter, out var corruptText))
        {
            switch (corruptText.Trim())
            {
                case "fail": break;
                case "skip": onCorrupt = CorruptImagePolicy.Skip; break;
                default:
                    problems.Add($"parameter '{OnCorruptParameter}' must be fail (refuse the load, naming every unreadable image) or skip " +
                                 $"(leave them out and draw others in their place) (got '{corruptText}')");
                    break;
            }
        }

        int? classCount = null;
        if (parameters.TryGetValue(ClassCountParameter, out var classText))
        {
            if (IntegerText.TryParse(classText, 1, int.MaxValue, out var value, out var outOfRange)) classCount = (int)value;
            else problems.Add($"parameter '{ClassCountParameter}' " + (outOfRange ?? $"must be the number of class folders, at least 1 (got '{classText}')"));
        }

        if (problems.Count > before) return null;
        var settings = new ImageFolderSettings(root, folders, counts, resize, crop, channels, mean!, std!, onCorrupt, classCount);
        problems.AddRange(settings.SizeProblems());
        return problems.Count > before ? null : settings;
    }

    /// <summary>
    /// A sample too large for one .NET array (every storage holds a sample, or a batch of them, in one); with
    /// <paramref name="storage"/> <see cref="ImageFolderStorage.Floats"/>, also splits whose floats would not fit one array (the
    /// other storages hold a split in arrays of their own size, or not at all).
    /// </summary>
    public IEnumerable<string> SizeProblems(ImageFolderStorage storage = ImageFolderStorage.Bytes)
    {
        if (SampleSize > Array.MaxLength)
        {
            yield return $"one sample would be {Channels} x {Crop.Height} x {Crop.Width} = {SampleSize:N0} values, more than one array holds ({Array.MaxLength:N0}): crop smaller";
            yield break;
        }
        if (storage != ImageFolderStorage.Floats) yield break;
        for (var s = 0; s < 3; s++)
        {
            var floats = Counts[s] * SampleSize;
            if (floats > Array.MaxLength)
                yield return $"the {SplitNames[s]} split would decode to {Counts[s]} x {SampleSize} = {floats:N0} floats, more than one array holds ({Array.MaxLength:N0}): " +
                             $"draw at most {Array.MaxLength / SampleSize} images, crop smaller, or let the host hold them as bytes or stream them (a memory budget, no stated storage)";
        }
    }

    /// <summary>A split folder must stay inside the root: relative, without '..'.</summary>
    private static string? SubfolderProblem(string folder)
    {
        if (Path.IsPathRooted(folder))
            return $"'{folder}' must be a folder relative to '{DatasetParameters.Root}' (e.g. train or val), not an absolute path: the root is what the data roots check";
        if (folder.Split('/', '\\').Any(segment => segment == ".."))
            return $"'{folder}' must stay inside '{DatasetParameters.Root}': remove the '..'";
        return null;
    }

    private static (int, int)? Size(string name, string text, bool shorterSide, List<string> problems)
    {
        var parts = text.Trim().Split('x', 'X');
        var values = new int[parts.Length];
        var ok = parts.Length is 1 or 2;
        for (var i = 0; ok && i < parts.Length; i++)
            ok = IntegerText.TryParse(parts[i], 1, 65_536, out var v, out _) && (values[i] = (int)v) > 0;
        if (!ok)
        {
            problems.Add($"parameter '{name}' must be N or HxW with whole numbers from 1 to 65536 (got '{text}'); " +
                         (shorterSide ? "N resizes the shorter side to N (torchvision's Resize(N)), HxW resizes to exactly that" : "N crops an N x N centre, HxW an H x W one"));
            return null;
        }
        if (parts.Length == 1) return shorterSide ? (values[0], 0) : (values[0], values[0]);
        return (values[0], values[1]);
    }

    private static (float[]? Mean, float[]? Std) Normalization(IReadOnlyDictionary<string, string> parameters, int channels, List<string> problems)
    {
        var hasMean = parameters.TryGetValue(MeanParameter, out var meanText);
        var hasStd = parameters.TryGetValue(StdParameter, out var stdText);
        if (parameters.TryGetValue(NormalizeParameter, out var preset))
        {
            switch (preset.Trim())
            {
                case "imagenet" when hasMean || hasStd:
                    problems.Add($"parameter '{NormalizeParameter}=imagenet' sets the mean and std: leave out '{MeanParameter}' and '{StdParameter}', or '{NormalizeParameter}'");
                    return (null, null);
                case "imagenet" when channels != 3:
                    problems.Add($"parameter '{NormalizeParameter}=imagenet' has three channels' statistics but '{ChannelsParameter}' is {channels}: give '{MeanParameter}' and '{StdParameter}' instead");
                    return (null, null);
                case "imagenet":
                    return (ImageNetMean, ImageNetStd);
                case "none":
                    break;
                default:
                    problems.Add($"parameter '{NormalizeParameter}' must be imagenet (mean {string.Join(",", ImageNetMean)}, std {string.Join(",", ImageNetStd)}) " +
                                 $"or none; give other statistics with '{MeanParameter}' and '{StdParameter}' (got '{preset}')");
                    return (null, null);
            }
        }
        if (hasMean != hasStd)
        {
            problems.Add($"parameters '{MeanParameter}' and '{StdParameter}' go together: give both (comma-separated, one value per channel) or neither");
            return (null, null);
        }
        if (!hasMean) return (Filled(channels, 0f), Filled(channels, 1f));
        var mean = Floats(MeanParameter, meanText!, channels, positive: false, problems);
        var std = Floats(StdParameter, stdText!, channels, positive: true, problems);
        return (mean, std);
    }

    private static float[] Filled(int count, float value) => Enumerable.Repeat(value, count).ToArray();

    /// <summary>Comma-separated values, one per channel (or one for all, as torchvision's Normalize broadcasts).</summary>
    private static float[]? Floats(string name, string text, int channels, bool positive, List<string> problems)
    {
        var parts = text.Split(',');
        var values = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            // Parsed as double, then rounded to float32, as torchvision's Normalize turns Python's floats into a float32 tensor.
            var parsed = double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value);
            values[i] = (float)value;
            if (!parsed || !float.IsFinite(values[i]) || (positive && values[i] <= 0))
            {
                problems.Add($"parameter '{name}' must be comma-separated {(positive ? "positive " : "")}numbers, one per channel (got '{text}')");
                return null;
            }
        }
        if (values.Length == 1) return Filled(channels, values[0]);
        if (values.Length != channels)
        {
            problems.Add($"parameter '{name}' has {values.Length} values but there are {channels} channels: give one per channel, or one for all");
            return null;
        }
        return values;
    }
}
