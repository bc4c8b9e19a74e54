using ProbeGrid.Grains.Models;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// What a compute job reads: the network (architecture, parameters, the seed of its initialisation), the weights
/// (a checkpoint, or none), the data with its repeat, and how activations are batched and reduced. Jobs take this,
/// not the wire message that carries the whole spec, and one estimate of their memory serves them all.
/// </summary>
public sealed record JobInputs(
    string Architecture,
    ImmutableSortedDictionary<string, string> ModelParameters,
    long InitSeed,
    CheckpointRef Checkpoint,
    DatasetSpec Dataset,
    int Repeat,
    ReductionSpec Reduction,
    int BatchSize)
{
    /// <summary>The architectures and data sets that name the network and the data (default: the built-in ones).</summary>
    public ModelCatalog Models { get; init; } = ModelCatalog.BuiltIn;

    /// <summary>The inputs of a checkpoint's work; the seed of an untrained network's initialisation differs per repeat.</summary>
    public static JobInputs Of(CheckpointWork work, ModelCatalog models) => new(
        work.Architecture, work.ModelParameters, work.Spec.Model.InitSeed + work.Repeat, work.Checkpoint, work.Spec.Dataset, work.Repeat,
        work.Spec.Reduction, work.Spec.Resources.BatchSize) { Models = models };

    /// <summary>The same network and data at another checkpoint.</summary>
    public JobInputs At(CheckpointRef checkpoint) => this with { Checkpoint = checkpoint };

    /// <summary>Samples in all splits.</summary>
    public long Rows => Models.SplitSizes(Dataset).Sum();

    /// <summary>Values in one sample.</summary>
    public long SampleSize => Models.SampleShape(Dataset).Aggregate(1L, (a, b) => a * b);

    /// <summary>Values in one sample's unreduced feature at <paramref name="layer"/> (from the configuration: nothing is built).</summary>
    public long TapSize(string layer) =>
        Models.TapShapes(Architecture, ModelParameters, Dataset)[layer].Aggregate(1L, (a, b) => a * b);

    /// <summary>
    /// Bytes a job holds at its peak: the data set's inputs as it holds them (float32, or an image folder's bytes or streamed
    /// batches), <paramref name="featureValues"/> float32 values of features and their copies, and <paramref name="otherBytes"/>
    /// of its own (weights it was sent, working buffers).
    /// </summary>
    public long PeakBytes(long featureValues, long otherBytes = 0) => Models.InputBytes(Dataset, BatchSize) + 4 * featureValues + otherBytes;
}
