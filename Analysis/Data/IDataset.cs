namespace ProbeGrid.Analysis.Data;

/// <summary>
/// A data set a sweep spec can name: one implementation per data set, registered in a <see cref="DatasetRegistry"/>.
/// Parameters are invariant-culture strings as a spec file gives them. Everything but <see cref="Load"/> works without
/// touching the disk, so a client can check a spec where the data is not installed.
/// </summary>
public interface IDataset
{
    /// <summary>The name a sweep spec gives, e.g. "fashion-mnist".</summary>
    string Name { get; }

    /// <summary>The parameter names it accepts; the registry refuses any other.</summary>
    IReadOnlyList<string> ParameterNames { get; }

    /// <summary>
    /// The parameters whose values are folders or files to read (default: <c>root</c>, where a data set has it): a sweep's
    /// planner checks them against the host's data roots and makes them absolute before anything opens them.
    /// </summary>
    IReadOnlyList<string> PathParameters => [DatasetParameters.Root];

    /// <summary>What its samples are labelled with: a class, a label set, or a regression target.</summary>
    TargetKind TargetKind { get; }

    /// <summary>The number of classes when it does not depend on the parameters (0 for regression data, which has none); callers ask <see cref="ClassCountOf"/>.</summary>
    int ClassCount { get; }

    /// <summary>
    /// The number of classes for valid parameters: <see cref="ClassCount"/> unless the data set's classes come from its
    /// files (image-folder lists its class folders here: directories only, no sample is read).
    /// </summary>
    int ClassCountOf(IReadOnlyDictionary<string, string> parameters) => ClassCount;

    /// <summary>
    /// Every problem with the values of its parameters, each starting "dataset '<see cref="Name"/>': "; empty when
    /// they are fine. The registry has already refused unknown parameter names.
    /// </summary>
    IEnumerable<string> ParameterProblems(IReadOnlyDictionary<string, string> parameters);

    /// <summary>The per-sample input shape for valid parameters.</summary>
    long[] SampleShape(IReadOnlyDictionary<string, string> parameters);

    /// <summary>The shape of one sample's regression target for valid parameters; null for classes and label sets.</summary>
    long[]? TargetShape(IReadOnlyDictionary<string, string> parameters);

    /// <summary>The train, validation and test sizes for valid parameters.</summary>
    int[] SplitSizes(IReadOnlyDictionary<string, string> parameters);

    /// <summary>
    /// Bytes the loaded splits' inputs hold in memory for valid parameters, read in batches of <paramref name="batchSize"/>
    /// (default: every sample as float32). A data set that keeps its samples compact or streams them says so here, and the
    /// grid's memory estimates count that instead.
    /// </summary>
    long InputBytes(IReadOnlyDictionary<string, string> parameters, int batchSize) =>
        SplitSizes(parameters).Sum(c => (long)c) * SampleShape(parameters).Aggregate(1L, (a, b) => a * b) * sizeof(float);

    /// <summary>
    /// Loads (or generates) the three splits for valid parameters; the same parameters and <paramref name="seed"/> always
    /// give the same samples. <paramref name="dataRoot"/> is the host's configured folder for data files, used where the
    /// spec names none (null: the data set's own default).
    /// </summary>
    DatasetSplits Load(IReadOnlyDictionary<string, string> parameters, long seed, string? dataRoot);
}
