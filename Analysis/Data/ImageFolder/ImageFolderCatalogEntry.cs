namespace ProbeGrid.Analysis.Data.ImageFolder;

/// <summary>
/// "image-folder": images in one subfolder per class, read as torchvision's ImageFolder reads them, through its usual
/// eval transform (resize, centre crop, [0, 1], normalise). Parameters:
/// <list type="bullet">
/// <item>root (required): the folder of class folders, or of split folders; checked against the data roots when planned.</item>
/// <item>train, validation, test: a split's folder relative to root (e.g. train=train, validation=val, test=val for ImageNet);
/// left out, the split draws from root. Splits sharing a folder draw disjoint seeded subsets.</item>
/// <item>trainCount, validationCount, testCount (required): images per split.</item>
/// <item>resize (N: shorter side to N; HxW), crop (required; N or HxW), channels (3, or 1 for grey),
/// normalize=imagenet or mean and std (comma-separated, one per channel), onCorrupt (fail, the default, or skip).</item>
/// <item>classCount: the number of class folders, stated so planning need not list them (checked when loaded).</item>
/// </list>
/// The sample shape comes from the parameters alone; the class count lists the class folders of the train split's
/// folder (directories only, no image is opened) unless classCount states it.
/// The samples are held as floats, as bytes, or streamed from the files with the next batches decoded ahead, as the host's
/// memory budget allows (<see cref="ImageFolderLoadOptions.StorageFor"/>); each gives the same samples and values.
/// </summary>
/// <param name="options">the host's decode parallelism, memory budget and prefetch (default: every core, no budget, 2 batches ahead).</param>
public sealed class ImageFolderCatalogEntry(ImageFolderLoadOptions? options = null) : IDataset
{
    public const string DatasetName = "image-folder";

    public string Name => DatasetName;

    public IReadOnlyList<string> ParameterNames => ImageFolderSettings.ParameterNames;

    public TargetKind TargetKind => TargetKind.ClassIndex;

    /// <summary>Not known without the folder: ask <see cref="ClassCountOf"/>.</summary>
    public int ClassCount => throw new NotSupportedException("image-folder's class count is the number of class folders of its root: call ClassCountOf(parameters)");

    /// <exception cref="ImageFolderException">The folder is missing or has no class folders.</exception>
    public int ClassCountOf(IReadOnlyDictionary<string, string> parameters)
    {
        var settings = Settings(parameters);
        return settings.StatedClassCount ?? ImageFolderListing.ClassNames(Path.GetFullPath(settings.SplitFolder(0))).Count;
    }

    public IEnumerable<string> ParameterProblems(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = new List<string>();
        ImageFolderSettings.Parse(parameters, problems);
        return DatasetParameters.Named(Name, problems);
    }

    public long[] SampleShape(IReadOnlyDictionary<string, string> parameters) => Settings(parameters).SampleShape;

    public long[]? TargetShape(IReadOnlyDictionary<string, string> parameters) => null;

    public int[] SplitSizes(IReadOnlyDictionary<string, string> parameters) => [.. Settings(parameters).Counts];

    /// <summary>As the host's options hold them (<see cref="ImageFolderLoadOptions.StorageFor"/>): floats, bytes, or the batches of a streamed split.</summary>
    public long InputBytes(IReadOnlyDictionary<string, string> parameters, int batchSize) => Options.HeldBytes(Settings(parameters), batchSize);

    /// <summary>How the samples of <paramref name="parameters"/> would be held under this entry's options.</summary>
    public ImageFolderStorage StorageOf(IReadOnlyDictionary<string, string> parameters) => Options.StorageFor(Settings(parameters));

    /// <summary>The host's decode parallelism, memory budget and prefetch (the defaults where it gave none).</summary>
    public ImageFolderLoadOptions Options { get; } = options ?? new ImageFolderLoadOptions();

    /// <remarks><paramref name="dataRoot"/> is not used: an image folder is always named by its 'root'.</remarks>
    public DatasetSplits Load(IReadOnlyDictionary<string, string> parameters, long seed, string? dataRoot) =>
        ImageFolderLoader.Load(Settings(parameters), seed, Options);

    private ImageFolderSettings Settings(IReadOnlyDictionary<string, string> parameters)
    {
        var problems = new List<string>();
        return ImageFolderSettings.Parse(parameters, problems)
               ?? throw new ArgumentException(string.Join("; ", DatasetParameters.Named(Name, problems)), nameof(parameters));
    }
}
