namespace ProbeGrid.Analysis.Data;

/// <summary>
/// The shipped data sets by name: a facade over <see cref="DatasetRegistry.BuiltIn"/> for the callers that need no
/// registry of their own. Parameters are strings as they come from a spec file; nothing but <see cref="Load"/>
/// touches the disk. A data set is added in <see cref="DatasetRegistry.BuiltInDatasets"/>.
/// </summary>
public static class DatasetCatalog
{
    public const string FashionMnistName = FashionMnistCatalogEntry.DatasetName;
    public const string GaussianSignName = GaussianSignCatalogEntry.DatasetName;
    public const string FashionMnistMosaicName = FashionMnistMosaicCatalogEntry.DatasetName;
    public const string RandomTaskName = RandomTaskCatalogEntry.DatasetName;
    public const string FashionMnistCanvasName = FashionMnistCanvasCatalogEntry.DatasetName;
    public const string ImageFolderName = ImageFolder.ImageFolderCatalogEntry.DatasetName;

    public const string RootParameter = DatasetParameters.Root;
    public const string TrainCountParameter = DatasetParameters.TrainCount;
    public const string ValidationCountParameter = DatasetParameters.ValidationCount;
    public const string TestCountParameter = DatasetParameters.TestCount;
    public const string DimensionParameter = GaussianSignCatalogEntry.Dimension;
    public const string GridParameter = FashionMnistMosaicCatalogEntry.Grid;
    public const string ItemSizeParameter = FashionMnistMosaicCatalogEntry.ItemSize;
    public const string MinItemsParameter = FashionMnistMosaicCatalogEntry.MinItems;
    public const string MaxItemsParameter = FashionMnistMosaicCatalogEntry.MaxItems;
    public const string ReluLayersParameter = RandomTaskCatalogEntry.ReluLayers;
    public const string SeedParameter = RandomTaskCatalogEntry.Seed;
    public const string CanvasParameter = FashionMnistCanvasCatalogEntry.Canvas;
    public const string TextureParameter = FashionMnistCanvasCatalogEntry.Texture;
    public const string MaskParameter = FashionMnistCanvasCatalogEntry.Mask;

    private static DatasetRegistry Registry => DatasetRegistry.BuiltIn;

    public static IReadOnlyList<string> Names => Registry.Names;

    /// <inheritdoc cref="DatasetRegistry.ParameterNames"/>
    public static IReadOnlyList<string> ParameterNames(string name) => Registry.ParameterNames(name);

    /// <summary>Whether samples of data set <paramref name="name"/> carry label sets (<see cref="LabeledData.LabelSets"/>) rather than one class.</summary>
    public static bool IsMultiLabel(string name) => TargetKindOf(name) == TargetKind.LabelSet;

    /// <summary>What the samples of data set <paramref name="name"/> are labelled with: a class, a label set, or a regression target.</summary>
    public static TargetKind TargetKindOf(string name) => Registry.Get(name).TargetKind;

    /// <summary>The shape of one sample's regression target, without loading anything; null for data with classes or label sets.</summary>
    public static long[]? TargetShape(string name, IReadOnlyDictionary<string, string> parameters) => Registry.Get(name).TargetShape(parameters);

    /// <inheritdoc cref="DatasetRegistry.Validate"/>
    public static IReadOnlyList<string> Validate(string name, IReadOnlyDictionary<string, string> parameters) => Registry.Validate(name, parameters);

    /// <summary>The per-sample input shape of a valid data set, without loading it.</summary>
    public static long[] SampleShape(string name, IReadOnlyDictionary<string, string> parameters) => Registry.Get(name).SampleShape(parameters);

    /// <summary>The train, validation and test sizes of a valid data set, without loading it.</summary>
    public static int[] SplitSizes(string name, IReadOnlyDictionary<string, string> parameters) => Registry.Get(name).SplitSizes(parameters);

    /// <summary>
    /// The number of classes of a data set with valid <paramref name="parameters"/>, without loading it (0 for regression data,
    /// which has none); image-folder lists its class folders for it.
    /// </summary>
    public static int ClassCount(string name, IReadOnlyDictionary<string, string>? parameters = null) =>
        Registry.Get(name).ClassCountOf(parameters ?? new Dictionary<string, string>());

    /// <inheritdoc cref="DatasetRegistry.Load"/>
    public static DatasetSplits Load(string name, IReadOnlyDictionary<string, string> parameters, long seed, string? fashionMnistRoot = null) =>
        Registry.Load(name, parameters, seed, fashionMnistRoot);
}
