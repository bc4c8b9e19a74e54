using System.Globalization;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// The data sets a sweep spec can name, with their string parameters (as they come from a spec
/// file), their defaults and their checks. <see cref="Validate"/> reports every problem without
/// touching the disk, so a client can check a spec where the data is not installed.
/// </summary>
public static class DatasetCatalog
{
    public const string FashionMnistName = "fashion-mnist";
    public const string GaussianSignName = "gaussian-sign";
    public const string FashionMnistMosaicName = "fashion-mnist-mosaic";
    public const string RandomTaskName = "random-task";
    public const string FashionMnistCanvasName = "fashion-mnist-canvas";

    public const string RootParameter = "root";
    public const string TrainCountParameter = "trainCount";
    public const string ValidationCountParameter = "validationCount";
    public const string TestCountParameter = "testCount";
    public const string DimensionParameter = "dimension";
    public const string GridParameter = "grid";
    public const string ItemSizeParameter = "itemSize";
    public const string MinItemsParameter = "minItems";
    public const string MaxItemsParameter = "maxItems";
    public const string ReluLayersParameter = "n";
    public const string SeedParameter = "seed";
    public const string CanvasParameter = "canvas";
    public const string TextureParameter = "texture";
    public const string MaskParameter = "mask";

    public static IReadOnlyList<string> Names { get; } = [FashionMnistName, GaussianSignName, FashionMnistMosaicName, RandomTaskName, FashionMnistCanvasName];

    /// <summary>Integer parameters and their defaults (the probe paper holds out 10^4 validation images).</summary>
    private static readonly (string Name, int Default)[] FashionMnistCounts =
        [(TrainCountParameter, 50_000), (ValidationCountParameter, 10_000), (TestCountParameter, 10_000)];

    private static readonly (string Name, int Default)[] GaussianSignIntegers =
        [(DimensionParameter, GaussianSignDataset.DefaultDimension), (TrainCountParameter, 2_000), (ValidationCountParameter, 500), (TestCountParameter, 1_000)];

    /// <summary>
    /// Mosaic integers with fixed defaults; maxItems (default grid², every cell may be filled) is
    /// read apart. 12 000 / 3 000 / 3 000 mosaics of 56x56 take about 225 MB as floats.
    /// </summary>
    private static readonly (string Name, int Default)[] MosaicIntegers =
    [
        (GridParameter, MosaicLayout.DefaultGrid), (ItemSizeParameter, MosaicLayout.FullItemSize), (MinItemsParameter, 1),
        (TrainCountParameter, FashionMnistMosaic.DefaultTrainCount), (ValidationCountParameter, FashionMnistMosaic.DefaultValidationCount),
        (TestCountParameter, FashionMnistMosaic.DefaultTestCount),
    ];

    /// <summary>random-task integers: n (default 8, one of the paper's tasks) and the split sizes; its 64-bit seed is read apart.</summary>
    private static readonly (string Name, int Default)[] RandomTaskIntegers =
    [
        (ReluLayersParameter, 8), (TrainCountParameter, RandomTaskDataset.DefaultTrainCount),
        (ValidationCountParameter, RandomTaskDataset.DefaultValidationCount), (TestCountParameter, RandomTaskDataset.DefaultTestCount),
    ];

    /// <summary>
    /// Canvas integers; texture (a real) and mask (a word) are read apart. 12 000 / 3 000 / 3 000 canvases of 56x56
    /// take about 225 MB as floats, and their masks another 56 MB.
    /// </summary>
    private static readonly (string Name, int Default)[] CanvasIntegers =
    [
        (CanvasParameter, FashionMnistCanvas.DefaultCanvas), (TrainCountParameter, FashionMnistCanvas.DefaultTrainCount),
        (ValidationCountParameter, FashionMnistCanvas.DefaultValidationCount), (TestCountParameter, FashionMnistCanvas.DefaultTestCount),
    ];

    /// <summary>The parameter names <paramref name="name"/> accepts (empty for an unknown name).</summary>
    public static IReadOnlyList<string> ParameterNames(string name) => name switch
    {
        FashionMnistName => [RootParameter, .. FashionMnistCounts.Select(p => p.Name)],
        GaussianSignName => [.. GaussianSignIntegers.Select(p => p.Name)],
        FashionMnistMosaicName => [RootParameter, GridParameter, ItemSizeParameter, MinItemsParameter, MaxItemsParameter,
            TrainCountParameter, ValidationCountParameter, TestCountParameter],
        RandomTaskName => [RootParameter, ReluLayersParameter, SeedParameter, TrainCountParameter, ValidationCountParameter, TestCountParameter],
        FashionMnistCanvasName => [RootParameter, CanvasParameter, TextureParameter, MaskParameter,
            TrainCountParameter, ValidationCountParameter, TestCountParameter],
        _ => [],
    };

    /// <summary>Whether samples of data set <paramref name="name"/> carry label sets (<see cref="LabeledData.LabelSets"/>) rather than one class.</summary>
    public static bool IsMultiLabel(string name) => TargetKindOf(name) == TargetKind.LabelSet;

    /// <summary>What the samples of data set <paramref name="name"/> are labelled with: a class, a label set, or a regression target.</summary>
    public static TargetKind TargetKindOf(string name) => name switch
    {
        FashionMnistName or GaussianSignName or FashionMnistCanvasName => TargetKind.ClassIndex,
        FashionMnistMosaicName => TargetKind.LabelSet,
        RandomTaskName => TargetKind.Regression,
        _ => throw UnknownName(name),
    };

    /// <summary>The shape of one sample's regression target, without loading anything; null for data with classes or label sets.</summary>
    public static long[]? TargetShape(string name, IReadOnlyDictionary<string, string> parameters) => TargetKindOf(name) switch
    {
        TargetKind.Regression => RandomTaskDataset.TargetShape,
        _ => null,
    };

    /// <summary>Every problem with a data set name and its parameters; empty when they are fine. Loads nothing.</summary>
    public static IReadOnlyList<string> Validate(string name, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var problems = new List<string>();
        if (!Names.Contains(name))
        {
            problems.Add($"dataset: unknown data set '{name}'; known data sets are {string.Join(", ", Names)}");
            return problems;
        }

        var allowed = ParameterNames(name);
        foreach (var key in parameters.Keys.Where(k => !allowed.Contains(k)).Order(StringComparer.Ordinal))
        {
            var near = allowed.FirstOrDefault(a => string.Equals(a, key, StringComparison.OrdinalIgnoreCase));
            problems.Add($"dataset '{name}': unknown parameter '{key}'" + (near is null ? "" : $" (did you mean '{near}'?)") +
                         $"; allowed parameters are {string.Join(", ", allowed)}");
        }

        if (name is FashionMnistName or FashionMnistMosaicName or RandomTaskName or FashionMnistCanvasName &&
            parameters.TryGetValue(RootParameter, out var root) && string.IsNullOrWhiteSpace(root))
            problems.Add($"dataset '{name}': parameter '{RootParameter}' is empty; give the folder holding the IDX files or leave it out for the default");

        if (name == FashionMnistName)
        {
            var counts = ParseIntegers(name, parameters, FashionMnistCounts, problems);
            if (counts is not null)
                problems.AddRange(FashionMnist.CountProblems(counts[0], counts[1], counts[2]).Select(p => $"dataset '{name}': {p}"));
        }
        else if (name == GaussianSignName)
        {
            var values = ParseIntegers(name, parameters, GaussianSignIntegers, problems);
            if (values is not null)
                problems.AddRange(GaussianSignDataset.ParameterProblems(values[0], values[1], values[2], values[3]).Select(p => $"dataset '{name}': {p}"));
        }
        else if (name == RandomTaskName)
        {
            var values = ParseIntegers(name, parameters, RandomTaskIntegers, problems);
            ParseTaskSeed(parameters, problems);
            if (values is not null)
                problems.AddRange(RandomTaskDataset.ParameterProblems(values[0], values[1], values[2], values[3]).Select(p => $"dataset '{name}': {p}"));
        }
        else if (name == FashionMnistCanvasName)
        {
            var canvas = ParseCanvas(parameters, problems);
            if (canvas is { } c)
                problems.AddRange(FashionMnistCanvas.ParameterProblems(c.Canvas, c.Texture, c.Train, c.Validation, c.Test).Select(p => $"dataset '{name}': {p}"));
        }
        else
        {
            var mosaic = ParseMosaic(parameters, problems);
            if (mosaic is { } m)
                problems.AddRange(FashionMnistMosaic.ParameterProblems(m.Layout, m.Train, m.Validation, m.Test).Select(p => $"dataset '{name}': {p}"));
        }
        return problems;
    }

    /// <summary>The per-sample input shape of a valid data set, without loading it.</summary>
    public static long[] SampleShape(string name, IReadOnlyDictionary<string, string> parameters) => name switch
    {
        FashionMnistName => FashionMnist.SampleShape,
        GaussianSignName => [ParseIntegers(name, parameters, GaussianSignIntegers, [])![0]],
        FashionMnistMosaicName => ParseMosaic(parameters, [])!.Value.Layout.SampleShape,
        RandomTaskName => FashionMnist.SampleShape,
        FashionMnistCanvasName => FashionMnistCanvas.SampleShape(ParseCanvas(parameters, [])!.Value.Canvas),
        _ => throw UnknownName(name),
    };

    /// <summary>The train, validation and test sizes of a valid data set, without loading it.</summary>
    public static int[] SplitSizes(string name, IReadOnlyDictionary<string, string> parameters) => name switch
    {
        FashionMnistName => ParseIntegers(name, parameters, FashionMnistCounts, [])!,
        GaussianSignName => ParseIntegers(name, parameters, GaussianSignIntegers, [])![1..],
        FashionMnistMosaicName => ParseMosaic(parameters, [])!.Value.SplitSizes,
        RandomTaskName => ParseIntegers(name, parameters, RandomTaskIntegers, [])![1..],
        FashionMnistCanvasName => ParseCanvas(parameters, [])!.Value.SplitSizes,
        _ => throw UnknownName(name),
    };

    /// <summary>The number of classes of a data set, without loading it (0 for regression data, which has none).</summary>
    public static int ClassCount(string name) => name switch
    {
        FashionMnistName => FashionMnist.ClassCount,
        GaussianSignName => GaussianSignDataset.ClassCount,
        FashionMnistMosaicName => FashionMnistMosaic.ClassCount,
        RandomTaskName => 0,
        FashionMnistCanvasName => FashionMnistCanvas.ClassCount,
        _ => throw UnknownName(name),
    };

    /// <summary>
    /// Builds the splits of data set <paramref name="name"/>. For Fashion-MNIST (and its mosaics, canvases and random tasks) the folder is the
    /// spec's 'root' parameter if given, else <paramref name="fashionMnistRoot"/> (the host's
    /// configured data root), else <see cref="FashionMnist.DefaultFolder"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The name or a parameter is invalid; the message lists every problem.</exception>
    public static DatasetSplits Load(string name, IReadOnlyDictionary<string, string> parameters, long seed, string? fashionMnistRoot = null)
    {
        var problems = Validate(name, parameters);
        if (problems.Count > 0)
            throw new ArgumentException("Invalid data set in the sweep spec: " + string.Join("; ", problems) + ".", nameof(parameters));

        if (name == FashionMnistName)
        {
            var counts = ParseIntegers(name, parameters, FashionMnistCounts, [])!;
            var folder = parameters.TryGetValue(RootParameter, out var root) ? root : fashionMnistRoot ?? FashionMnist.DefaultFolder;
            return FashionMnist.Load(folder, counts[0], counts[1], counts[2], seed);
        }
        if (name == FashionMnistMosaicName)
        {
            var mosaic = ParseMosaic(parameters, [])!.Value;
            var folder = parameters.TryGetValue(RootParameter, out var root) ? root : fashionMnistRoot ?? FashionMnist.DefaultFolder;
            return FashionMnistMosaic.Load(folder, mosaic.Layout, mosaic.Train, mosaic.Validation, mosaic.Test, seed);
        }
        if (name == RandomTaskName)
        {
            var task = ParseIntegers(name, parameters, RandomTaskIntegers, [])!;
            var folder = parameters.TryGetValue(RootParameter, out var root) ? root : fashionMnistRoot ?? FashionMnist.DefaultFolder;
            return RandomTaskDataset.Load(folder, task[0], ParseTaskSeed(parameters, [])!.Value, task[1], task[2], task[3], seed);
        }
        if (name == FashionMnistCanvasName)
        {
            var canvas = ParseCanvas(parameters, [])!.Value;
            var folder = parameters.TryGetValue(RootParameter, out var root) ? root : fashionMnistRoot ?? FashionMnist.DefaultFolder;
            return FashionMnistCanvas.Load(folder, canvas.Canvas, canvas.Texture, canvas.Mask, canvas.Train, canvas.Validation, canvas.Test, seed);
        }
        var values = ParseIntegers(name, parameters, GaussianSignIntegers, [])!;
        return GaussianSignDataset.Generate(values[0], values[1], values[2], values[3], seed);
    }

    private readonly record struct MosaicParameters(MosaicLayout Layout, int Train, int Validation, int Test)
    {
        public int[] SplitSizes => [Train, Validation, Test];
    }

    /// <summary>The mosaic layout and split sizes (defaults filled in), or null when any value is not an integer.</summary>
    private static MosaicParameters? ParseMosaic(IReadOnlyDictionary<string, string> parameters, List<string> problems)
    {
        var values = ParseIntegers(FashionMnistMosaicName, parameters, MosaicIntegers, problems);
        var grid = values?[0] ?? MosaicLayout.DefaultGrid;
        // Default: every cell may be filled (an out-of-range grid is reported by the layout; any default does here).
        var maxItems = ParseIntegers(FashionMnistMosaicName, parameters, [(MaxItemsParameter, Math.Clamp(grid, 1, MosaicLayout.MaxGrid) * Math.Clamp(grid, 1, MosaicLayout.MaxGrid))], problems);
        if (values is null || maxItems is null)
            return null;
        return new MosaicParameters(new MosaicLayout(values[0], values[1], values[2], maxItems[0]), values[3], values[4], values[5]);
    }

    private readonly record struct CanvasParameters(int Canvas, double Texture, CanvasMask Mask, int Train, int Validation, int Test)
    {
        public int[] SplitSizes => [Train, Validation, Test];
    }

    /// <summary>The canvas parameters (defaults filled in), or null when any value does not parse.</summary>
    private static CanvasParameters? ParseCanvas(IReadOnlyDictionary<string, string> parameters, List<string> problems)
    {
        var values = ParseIntegers(FashionMnistCanvasName, parameters, CanvasIntegers, problems);
        var texture = FashionMnistCanvas.DefaultTexture;
        var ok = values is not null;
        if (parameters.TryGetValue(TextureParameter, out var textureText) &&
            !double.TryParse(textureText, NumberStyles.Float, CultureInfo.InvariantCulture, out texture))
        {
            problems.Add($"dataset '{FashionMnistCanvasName}': parameter '{TextureParameter}' must be a number, the background's peak brightness in [0, 1] (got '{textureText}')");
            ok = false;
        }
        var mask = FashionMnistCanvas.DefaultMask;
        if (parameters.TryGetValue(MaskParameter, out var maskText))
        {
            var known = Enum.GetValues<CanvasMask>().Where(m => FashionMnistCanvas.MaskName(m) == maskText.Trim()).ToArray();
            if (known.Length == 1) mask = known[0];
            else
            {
                problems.Add($"dataset '{FashionMnistCanvasName}': parameter '{MaskParameter}' must be 'item' (the item's nonzero pixels) " +
                             $"or 'box' (its 28x28 box) (got '{maskText}')");
                ok = false;
            }
        }
        return ok ? new CanvasParameters(values![0], texture, mask, values[1], values[2], values[3]) : null;
    }

    /// <summary>random-task's seed of the task DNN's weights (default 0), or null when it is not an integer.</summary>
    private static long? ParseTaskSeed(IReadOnlyDictionary<string, string> parameters, List<string> problems)
    {
        if (!parameters.TryGetValue(SeedParameter, out var text))
            return 0;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite,
                CultureInfo.InvariantCulture, out var seed))
            return seed;
        problems.Add($"dataset '{RandomTaskName}': parameter '{SeedParameter}' must be a 64-bit integer, the task DNN's weight seed (got '{text}'); " +
                     "leave it out for 0");
        return null;
    }

    private static ArgumentException UnknownName(string name) =>
        new($"unknown data set '{name}'; known data sets are {string.Join(", ", Names)}", nameof(name));

    /// <summary>The integer parameters in order (defaults filled in), or null when any is not an integer.</summary>
    private static int[]? ParseIntegers(string name, IReadOnlyDictionary<string, string> parameters,
        (string Name, int Default)[] specs, List<string> problems)
    {
        var values = new int[specs.Length];
        var ok = true;
        for (var i = 0; i < specs.Length; i++)
        {
            if (!parameters.TryGetValue(specs[i].Name, out var text))
            {
                values[i] = specs[i].Default;
                continue;
            }
            if (IntegerText.TryParse(text, int.MinValue, int.MaxValue, out var value, out var outOfRange))
            {
                values[i] = (int)value;
                continue;
            }
            problems.Add($"dataset '{name}': parameter '{specs[i].Name}' " + (outOfRange ?? $"must be an integer (got '{text}')"));
            ok = false;
        }
        return ok ? values : null;
    }
}
