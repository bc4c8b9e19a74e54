using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Models;

/// <summary>
/// The architectures and data sets a silo knows (its registries: the built-in ones and any a host added with
/// <c>AddArchitecture</c> / <c>AddDataset</c>), with the questions the grid asks about a spec's network and data.
/// The planner, the jobs and the data provider take it from DI, so a registered architecture runs on the grid.
/// </summary>
public sealed class ModelCatalog(ArchitectureRegistry architectures, DatasetRegistry datasets)
{
    /// <summary>The shipped architectures and data sets, for code that runs without a host's services (the CLI's own commands, tests).</summary>
    public static ModelCatalog BuiltIn { get; } = new(ArchitectureRegistry.BuiltIn, DatasetRegistry.BuiltIn);

    public ArchitectureRegistry Architectures { get; } = architectures;

    public DatasetRegistry Datasets { get; } = datasets;

    public long[] SampleShape(DatasetSpec dataset) => Datasets.Get(dataset.Name).SampleShape(dataset.Parameters);

    /// <summary>The shape of one sample's regression target; null for classes and label sets.</summary>
    public long[]? TargetShape(DatasetSpec dataset) => Datasets.Get(dataset.Name).TargetShape(dataset.Parameters);

    /// <summary>The number of classes of the spec's data (image-folder lists its class folders: directories only).</summary>
    public int ClassCount(DatasetSpec dataset) => Datasets.Get(dataset.Name).ClassCountOf(dataset.Parameters);

    /// <summary>The train, validation and test sizes.</summary>
    public int[] SplitSizes(DatasetSpec dataset) => Datasets.Get(dataset.Name).SplitSizes(dataset.Parameters);

    /// <summary>Bytes the loaded data's inputs hold in memory, read in batches of <paramref name="batchSize"/> (see <see cref="IDataset.InputBytes"/>).</summary>
    public long InputBytes(DatasetSpec dataset, int batchSize) => Datasets.Get(dataset.Name).InputBytes(dataset.Parameters, batchSize);

    public TargetKind TargetKind(DatasetSpec dataset) => Datasets.Get(dataset.Name).TargetKind;

    /// <summary>The network's tap shapes on the data set's samples, from the configuration alone (nothing is allocated).</summary>
    public IReadOnlyDictionary<string, long[]> TapShapes(string architecture, IReadOnlyDictionary<string, string> parameters, DatasetSpec dataset) =>
        Architectures.TapShapes(architecture, parameters, SampleShape(dataset), ClassCount(dataset), TargetShape(dataset));

    /// <summary>The taps the network can be run from upward (<see cref="TappedModel.ForwardFromTaps"/>) on the data set's samples.</summary>
    public IReadOnlyList<string> ForwardFromTaps(string architecture, IReadOnlyDictionary<string, string> parameters, DatasetSpec dataset) =>
        Architectures.ForwardFromTaps(architecture, parameters, SampleShape(dataset), ClassCount(dataset), TargetShape(dataset));

    /// <summary>The network for the data set's samples, its weights drawn from <paramref name="seed"/>.</summary>
    public TappedModel Create(string architecture, IReadOnlyDictionary<string, string> parameters, DatasetSpec dataset, long seed) =>
        Architectures.Create(architecture, parameters, SampleShape(dataset), ClassCount(dataset), seed, TargetShape(dataset));
}
