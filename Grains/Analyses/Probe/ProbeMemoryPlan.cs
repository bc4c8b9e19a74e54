using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// How a checkpoint's probe job fits the executor's memory budget. When every tap's features and the probes' working memory fit,
/// the job holds them all at once (one group, no extra I/O). When not, it streams: it first extracts every tap into the activation
/// cache (in groups whose one split fits), then trains the probes a group of taps at a time, reading each group back from the cache
/// and letting it go before the next. <see cref="EstimatedBytes"/> is what the executor admits the job by: its largest phase.
/// </summary>
/// <param name="Streams">whether the job streams through the cache.</param>
/// <param name="ExtractionGroups">the taps extracted together into the cache before training (empty when the job does not stream).</param>
/// <param name="TrainingGroups">the taps whose probes train together; one group holding every tap when the job does not stream.</param>
/// <param name="EstimatedBytes">the job's peak: the data set, the features it holds and the probes' working memory, at its largest phase.</param>
public sealed record ProbeMemoryPlan(
    bool Streams,
    IReadOnlyList<IReadOnlyList<LayerRef>> ExtractionGroups,
    IReadOnlyList<IReadOnlyList<LayerRef>> TrainingGroups,
    long EstimatedBytes)
{
    /// <summary>
    /// What no formula here sees: the network's weights, libtorch's and oneDNN's own buffers, and memory the allocators keep
    /// after a free: an allowance, not a measurement (bench 'probe-memory' shows the estimate still falls short when streaming).
    /// </summary>
    public const long RuntimeAllowanceBytes = 64L << 20;

    /// <summary>
    /// A forward pass's memory per batch as a multiple of the batch's activations at every tap: the activations themselves (all alive
    /// until the batch ends), their reduced copies, and convolutions' unfolded inputs (im2col), which for a 5x5 convolution from 32
    /// channels to 64 take 12 times its output (on the MNIST convnet at batch 256, about 1.8 times all taps' activations, by the layer shapes).
    /// </summary>
    private const int ForwardPassFactor = 4;

    /// <summary>The plan for <paramref name="layers"/> under <paramref name="budgetBytes"/>; groups keep the layers' order.</summary>
    public static ProbeMemoryPlan For(JobInputs inputs, IReadOnlyList<LayerRef> layers, ProbeSettings settings, long budgetBytes)
    {
        var sizes = new Sizes(inputs, settings);
        var whole = sizes.InMemory(layers);
        if (whole <= budgetBytes || layers.Count <= 1) return new ProbeMemoryPlan(false, [], [layers], whole);

        var extraction = Pack(layers, sizes.Extraction, budgetBytes);
        // L-BFGS (optimizer lbfgs) steps all layers' probes as one vector, so its numbers depend on the group: it never splits.
        var training = settings.Classifier.Optimizer == ProbeOptions.Lbfgs ? [layers] : Pack(layers, sizes.Training, budgetBytes);
        var peak = Math.Max(extraction.Max(sizes.Extraction), training.Max(sizes.Training));
        return new ProbeMemoryPlan(true, extraction, training, peak);
    }

    /// <summary>Consecutive layers, each group as large as fits; a layer that alone does not fit is a group of its own (the executor then refuses it).</summary>
    private static IReadOnlyList<IReadOnlyList<LayerRef>> Pack(IReadOnlyList<LayerRef> layers, Func<IReadOnlyList<LayerRef>, long> bytes, long budget)
    {
        var groups = new List<IReadOnlyList<LayerRef>>();
        var current = new List<LayerRef>();
        foreach (var layer in layers)
        {
            if (current.Count > 0 && bytes([.. current, layer]) > budget)
            {
                groups.Add(current);
                current = [];
            }
            current.Add(layer);
        }
        groups.Add(current);
        return groups;
    }

    /// <summary>The byte counts of the job's phases, from the configuration alone (nothing is built).</summary>
    private sealed class Sizes
    {
        private readonly JobInputs inputs;
        private readonly ProbeSettings settings;
        private readonly int[] splits;
        private readonly IReadOnlyDictionary<string, long[]> shapes;
        private readonly Reduction reduction;

        public Sizes(JobInputs inputs, ProbeSettings settings)
        {
            this.inputs = inputs;
            this.settings = settings;
            splits = inputs.Models.SplitSizes(inputs.Dataset);
            shapes = inputs.Models.TapShapes(inputs.Architecture, inputs.ModelParameters, inputs.Dataset);
            reduction = Reduction.Parse(inputs.Reduction.Kind, inputs.Reduction.MaxDims, inputs.Reduction.Seed);
        }

        /// <summary>Every tap held at once: the data, all features on all splits, and the larger of extraction's and the probes' working memory.</summary>
        public long InMemory(IReadOnlyList<LayerRef> layers) =>
            inputs.PeakBytes(inputs.Rows * Width(layers), RuntimeAllowanceBytes + Math.Max(ExtractionWorking(layers), Probes(layers)));

        /// <summary>Extracting a group into the cache: the data, the group's features on the largest split, and extraction's working memory.</summary>
        public long Extraction(IReadOnlyList<LayerRef> layers) => inputs.PeakBytes(splits.Max() * Width(layers), RuntimeAllowanceBytes + ExtractionWorking(layers));

        /// <summary>Training a group read back from the cache: the data, the group's features on all splits, and the probes' working memory.</summary>
        public long Training(IReadOnlyList<LayerRef> layers) => inputs.PeakBytes(inputs.Rows * Width(layers), RuntimeAllowanceBytes + Probes(layers));

        private long Width(IReadOnlyList<LayerRef> layers) => layers.Sum(l => (long)reduction.OutputSize(shapes[l.Name]));

        /// <summary>
        /// A forward pass over a batch (<see cref="ForwardPassFactor"/> times its activations at every tap: it computes them all), and the
        /// Gaussian projection matrices of the group's taps (random-projection keeps one per tap for the whole pass). The network's
        /// own weights are not counted.
        /// </summary>
        private long ExtractionWorking(IReadOnlyList<LayerRef> layers)
        {
            var activations = ForwardPassFactor * 4L * inputs.BatchSize * shapes.Values.Sum(Values);
            var projections = reduction.Kind == Reduction.RandomProjection
                ? layers.Select(l => Values(shapes[l.Name])).Where(v => v > reduction.MaxDims).Sum(v => 4 * v * reduction.MaxDims)
                : 0;
            return activations + projections;
        }

        /// <summary>The probes' working memory (ProbeWorkingMemory): the solver takes one layer at a time, the trained optimizers the whole group at once.</summary>
        private long Probes(IReadOnlyList<LayerRef> layers)
        {
            var classes = inputs.Models.ClassCount(inputs.Dataset);
            var dims = layers.Select(l => reduction.OutputSize(shapes[l.Name]));
            return settings.Classifier.Optimizer == ProbeOptions.Optimal
                ? dims.Select(d => ProbeWorkingMemory.Optimal(splits[0], splits[1], splits[2], d, classes, settings.OptimumOrDefault)).DefaultIfEmpty(0).Max()
                : dims.Sum(d => ProbeWorkingMemory.Trained(splits[0], splits[1], splits[2], d, classes, settings.Classifier));
        }

        private static long Values(long[] shape) => shape.Aggregate(1L, (a, b) => a * b);
    }
}
