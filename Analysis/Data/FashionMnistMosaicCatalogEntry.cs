using static ProbeGrid.Analysis.Data.DatasetParameters;

namespace ProbeGrid.Analysis.Data;

/// <summary>"fashion-mnist-mosaic": grids of Fashion-MNIST items labelled with the set of their classes (<see cref="FashionMnistMosaic"/>).</summary>
public sealed class FashionMnistMosaicCatalogEntry : IDataset
{
    public const string DatasetName = "fashion-mnist-mosaic";
    public const string Grid = "grid";
    public const string ItemSize = "itemSize";
    public const string MinItems = "minItems";
    public const string MaxItems = "maxItems";

    /// <summary>
    /// Integers with fixed defaults; maxItems (default grid², every cell may be filled) is read apart.
    /// 12 000 / 3 000 / 3 000 mosaics of 56x56 take about 225 MB as floats.
    /// </summary>
    private static readonly (string Name, int Default)[] IntegerParameters =
    [
        (Grid, MosaicLayout.DefaultGrid), (ItemSize, MosaicLayout.FullItemSize), (MinItems, 1),
        (TrainCount, FashionMnistMosaic.DefaultTrainCount), (ValidationCount, FashionMnistMosaic.DefaultValidationCount),
        (TestCount, FashionMnistMosaic.DefaultTestCount),
    ];

    public string Name => DatasetName;

    public IReadOnlyList<string> ParameterNames { get; } = [Root, Grid, ItemSize, MinItems, MaxItems, TrainCount, ValidationCount, TestCount];

    public TargetKind TargetKind => TargetKind.LabelSet;

    public int ClassCount => FashionMnistMosaic.ClassCount;

    public IEnumerable<string> ParameterProblems(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = EmptyRootProblems(Name, parameters).ToList();
        if (Read(parameters, problems) is { } m)
            problems.AddRange(Named(Name, FashionMnistMosaic.ParameterProblems(m.Layout, m.Train, m.Validation, m.Test)));
        return problems;
    }

    public long[] SampleShape(IReadOnlyDictionary<string, string> parameters) => Valid(parameters).Layout.SampleShape;

    public long[]? TargetShape(IReadOnlyDictionary<string, string> parameters) => null;

    public int[] SplitSizes(IReadOnlyDictionary<string, string> parameters) => Valid(parameters).SplitSizes;

    public DatasetSplits Load(IReadOnlyDictionary<string, string> parameters, long seed, string? dataRoot)
    {
        var mosaic = Valid(parameters);
        return FashionMnistMosaic.Load(FashionMnistFolder(parameters, dataRoot), mosaic.Layout, mosaic.Train, mosaic.Validation, mosaic.Test, seed);
    }

    private readonly record struct MosaicParameters(MosaicLayout Layout, int Train, int Validation, int Test)
    {
        public int[] SplitSizes => [Train, Validation, Test];
    }

    /// <summary>The layout and split sizes (defaults filled in), or null when any value is not an integer.</summary>
    private static MosaicParameters? Read(IReadOnlyDictionary<string, string> parameters, List<string> problems)
    {
        var values = Integers(DatasetName, parameters, IntegerParameters, problems);
        // Default: every cell may be filled (an out-of-range grid is reported by the layout; any default does here).
        var grid = Math.Clamp(values?[0] ?? MosaicLayout.DefaultGrid, 1, MosaicLayout.MaxGrid);
        var maxItems = Integers(DatasetName, parameters, [(MaxItems, grid * grid)], problems);
        if (values is null || maxItems is null)
            return null;
        return new MosaicParameters(new MosaicLayout(values[0], values[1], values[2], maxItems[0]), values[3], values[4], values[5]);
    }

    private static MosaicParameters Valid(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = new List<string>();
        return Read(parameters, problems) ?? throw new ArgumentException(string.Join("; ", problems), nameof(parameters));
    }
}
