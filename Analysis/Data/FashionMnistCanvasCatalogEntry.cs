using System.Globalization;
using static ProbeGrid.Analysis.Data.DatasetParameters;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// "fashion-mnist-canvas": Fashion-MNIST items placed on a larger textured canvas, with each item's object mask
/// (<see cref="FashionMnistCanvas"/>), for the information-discarding analysis.
/// </summary>
public sealed class FashionMnistCanvasCatalogEntry : IDataset
{
    public const string DatasetName = "fashion-mnist-canvas";
    public const string Canvas = "canvas";
    public const string Texture = "texture";
    public const string Mask = "mask";

    /// <summary>
    /// Integers; texture (a real) and mask (a word) are read apart. 12 000 / 3 000 / 3 000 canvases of 56x56
    /// take about 225 MB as floats, and their masks another 56 MB.
    /// </summary>
    private static readonly (string Name, int Default)[] IntegerParameters =
    [
        (Canvas, FashionMnistCanvas.DefaultCanvas), (TrainCount, FashionMnistCanvas.DefaultTrainCount),
        (ValidationCount, FashionMnistCanvas.DefaultValidationCount), (TestCount, FashionMnistCanvas.DefaultTestCount),
    ];

    public string Name => DatasetName;

    public IReadOnlyList<string> ParameterNames { get; } = [Root, Canvas, Texture, Mask, TrainCount, ValidationCount, TestCount];

    public TargetKind TargetKind => TargetKind.ClassIndex;

    public int ClassCount => FashionMnistCanvas.ClassCount;

    public IEnumerable<string> ParameterProblems(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = EmptyRootProblems(Name, parameters).ToList();
        if (Read(parameters, problems) is { } c)
            problems.AddRange(Named(Name, FashionMnistCanvas.ParameterProblems(c.Canvas, c.Texture, c.Train, c.Validation, c.Test)));
        return problems;
    }

    public long[] SampleShape(IReadOnlyDictionary<string, string> parameters) => FashionMnistCanvas.SampleShape(Valid(parameters).Canvas);

    public long[]? TargetShape(IReadOnlyDictionary<string, string> parameters) => null;

    public int[] SplitSizes(IReadOnlyDictionary<string, string> parameters) => Valid(parameters).SplitSizes;

    public DatasetSplits Load(IReadOnlyDictionary<string, string> parameters, long seed, string? dataRoot)
    {
        var c = Valid(parameters);
        return FashionMnistCanvas.Load(FashionMnistFolder(parameters, dataRoot), c.Canvas, c.Texture, c.Mask, c.Train, c.Validation, c.Test, seed);
    }

    private readonly record struct CanvasParameters(int Canvas, double Texture, CanvasMask Mask, int Train, int Validation, int Test)
    {
        public int[] SplitSizes => [Train, Validation, Test];
    }

    /// <summary>The canvas parameters (defaults filled in), or null when any value does not parse.</summary>
    private static CanvasParameters? Read(IReadOnlyDictionary<string, string> parameters, List<string> problems)
    {
        var values = Integers(DatasetName, parameters, IntegerParameters, problems);
        var texture = FashionMnistCanvas.DefaultTexture;
        var ok = values is not null;
        if (parameters.TryGetValue(Texture, out var textureText) &&
            !double.TryParse(textureText, NumberStyles.Float, CultureInfo.InvariantCulture, out texture))
        {
            problems.Add($"dataset '{DatasetName}': parameter '{Texture}' must be a number, the background's peak brightness in [0, 1] (got '{textureText}')");
            ok = false;
        }
        var mask = FashionMnistCanvas.DefaultMask;
        if (parameters.TryGetValue(Mask, out var maskText))
        {
            var known = Enum.GetValues<CanvasMask>().Where(m => FashionMnistCanvas.MaskName(m) == maskText.Trim()).ToArray();
            if (known.Length == 1) mask = known[0];
            else
            {
                problems.Add($"dataset '{DatasetName}': parameter '{Mask}' must be 'item' (the item's nonzero pixels) " +
                             $"or 'box' (its 28x28 box) (got '{maskText}')");
                ok = false;
            }
        }
        return ok ? new CanvasParameters(values![0], texture, mask, values[1], values[2], values[3]) : null;
    }

    private static CanvasParameters Valid(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = new List<string>();
        return Read(parameters, problems) ?? throw new ArgumentException(string.Join("; ", problems), nameof(parameters));
    }
}
