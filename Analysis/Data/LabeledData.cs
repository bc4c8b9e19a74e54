using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// Labelled samples held in managed memory (row-major, one sample after another). Tensors are
/// made per batch by the caller, so a data set never pins native memory between jobs.
/// What each sample is labelled with is its <see cref="Kind"/>:
/// single-label data has a class index per sample in <see cref="Labels"/>; multi-label data
/// (e.g. mosaics) has a 0/1 row per sample in <see cref="LabelSets"/> and -1 in <see cref="Labels"/>,
/// since no one class stands for the sample; regression data (e.g. random-task, made with
/// <see cref="Regression"/>) has a real-valued row of shape <see cref="TargetShape"/> per sample in
/// <see cref="Targets"/>, -1 in <see cref="Labels"/> and no classes (<see cref="ClassCount"/> 0).
/// Inputs too large for one array or for memory come from a <see cref="Source"/> instead (<see cref="FromSource"/>): they are
/// then read a batch (<see cref="InputBatch"/>, <see cref="InputBatches"/>) or a few samples (<see cref="Slice"/>) at a time.
/// </summary>
public sealed record LabeledData(float[] Inputs, long[] SampleShape, long[] Labels, int ClassCount)
{
    private readonly float[] inputs = Inputs;

    /// <summary>Every sample's inputs, one sample after another.</summary>
    /// <exception cref="InvalidOperationException">The inputs come from a <see cref="Source"/>: they are never held as one array.</exception>
    public float[] Inputs
    {
        get => Source is null ? inputs : throw new InvalidOperationException(
            $"the {Count} samples of this split are {Source.Description}, not one float array: read them a batch at a time (InputBatch, InputBatches) " +
            "or a few at a time (Slice, SampleInputs); a host holds them as floats when they fit its data memory budget " +
            "(ImageFolderLoadOptions.MemoryBudgetBytes; on a silo ProbeGrid:Compute:DatasetMemoryBytes)");
        init => inputs = value;
    }

    /// <summary>Where the inputs come from when they are not one array (compact pixels, image files); null for inputs held in <see cref="Inputs"/>.</summary>
    public IInputSource? Source { get; init; }

    /// <summary>Single-label data whose inputs come from <paramref name="source"/>, one label per sample.</summary>
    /// <exception cref="ArgumentException">The source and the labels count different samples, or the sample shape is not the source's.</exception>
    public static LabeledData FromSource(IInputSource source, long[] sampleShape, long[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Count != labels.Length || source.SampleSize != sampleShape.Aggregate(1L, (a, b) => a * b))
            throw new ArgumentException($"the source holds {source.Count} samples of {source.SampleSize} values but there are {labels.Length} labels " +
                                        $"and samples of shape [{string.Join(", ", sampleShape)}]");
        return new LabeledData([], sampleShape, labels, classCount) { Source = source };
    }

    /// <summary>Bytes the inputs take in memory between batches.</summary>
    public long InputBytes => Source?.HeldBytes ?? (long)inputs.Length * sizeof(float);
    /// <summary>Multi-hot targets, <see cref="Count"/> rows of <see cref="ClassCount"/> (row-major), or null for single-label data.</summary>
    public float[]? LabelSets { get; init; }

    /// <summary>Real-valued targets, <see cref="Count"/> rows of <see cref="TargetSize"/> (row-major), or null unless <see cref="Kind"/> is regression.</summary>
    public float[]? Targets { get; init; }

    /// <summary>The shape of one sample's target (regression data only; null otherwise).</summary>
    public long[]? TargetShape { get; init; }

    /// <summary>
    /// Where each sample's object is (Λ of the information-discarding concentration): <see cref="Count"/> rows of
    /// <see cref="ObjectMaskSize"/> (one flag per pixel, row-major, shared by the channels), or null when the data
    /// has no object masks (all but fashion-mnist-canvas).
    /// </summary>
    public bool[]? ObjectMasks { get; init; }

    /// <summary>Pixels in one sample's object mask: height x width of the sample (the last two dimensions; the whole sample for vectors).</summary>
    public int ObjectMaskSize => SampleShape.Length >= 2 ? checked((int)(SampleShape[^2] * SampleShape[^1])) : SampleSize;

    /// <summary>Sample <paramref name="sample"/>'s object mask (a copy; e.g. for <c>Concentration.Of</c>).</summary>
    /// <exception cref="InvalidOperationException">The data has no object masks.</exception>
    public bool[] ObjectMask(int sample) => ObjectMasks is { } masks
        ? masks.AsSpan(sample * ObjectMaskSize, ObjectMaskSize).ToArray()
        : throw new InvalidOperationException("this data set has no object masks: fashion-mnist-canvas has them");

    /// <summary>Which targets the samples carry, hence which loss trains on them.</summary>
    public TargetKind Kind => Targets is not null ? TargetKind.Regression : LabelSets is not null ? TargetKind.LabelSet : TargetKind.ClassIndex;

    public bool IsMultiLabel => LabelSets is not null;

    public bool IsRegression => Targets is not null;

    public int Count => Labels.Length;

    public int SampleSize { get; } = checked((int)SampleShape.Aggregate(1L, (a, b) => a * b));

    /// <summary>Values in one sample's regression target (0 for class and label-set data).</summary>
    public int TargetSize => TargetShape is { } shape ? checked((int)shape.Aggregate(1L, (a, b) => a * b)) : 0;

    /// <summary>
    /// Regression data: <paramref name="targets"/> holds one row of shape <paramref name="targetShape"/> per
    /// sample; labels are -1 and there are no classes.
    /// </summary>
    /// <exception cref="ArgumentException">The arrays do not hold whole samples and targets of the same count.</exception>
    public static LabeledData Regression(float[] inputs, long[] sampleShape, float[] targets, long[] targetShape)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        var sampleSize = sampleShape.Aggregate(1L, (a, b) => a * b);
        var targetSize = targetShape.Aggregate(1L, (a, b) => a * b);
        if (sampleSize < 1 || targetSize < 1 || targetShape.Length == 0)
            throw new ArgumentException($"sample shape [{string.Join(", ", sampleShape)}] and target shape [{string.Join(", ", targetShape)}] must be non-empty with positive dimensions.");
        if (inputs.LongLength % sampleSize != 0 || targets.LongLength % targetSize != 0 || inputs.LongLength / sampleSize != targets.LongLength / targetSize)
            throw new ArgumentException(
                $"{inputs.LongLength} input values of samples of {sampleSize} and {targets.LongLength} target values of rows of {targetSize} are not the same whole number of samples.");
        var labels = new long[inputs.LongLength / sampleSize];
        Array.Fill(labels, -1); // regression: no class stands for a sample
        return new LabeledData(inputs, sampleShape, labels, 0) { Targets = targets, TargetShape = [.. targetShape] };
    }

    /// <summary>Inputs of samples [start, start + count) as a tensor of shape [count, ..SampleShape].</summary>
    public Tensor InputBatch(int start, int count) => new SampleBatch(start, count, InputValues(start, count), SampleShape).ToTensor();

    /// <summary>
    /// The inputs of every sample in consecutive batches of <paramref name="batchSize"/> (the last may be shorter), in order. A
    /// streamed source decodes the next batches while the caller runs this one; leaving the loop early stops it.
    /// </summary>
    public IEnumerable<SampleBatch> InputBatches(int batchSize, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (Source is null)
        {
            for (var start = 0; start < Count; start += batchSize)
            {
                var count = Math.Min(batchSize, Count - start);
                yield return new SampleBatch(start, count, InputValues(start, count), SampleShape);
            }
            yield break;
        }
        var next = 0;
        foreach (var values in Source.Batches(batchSize, ct))
        {
            var count = values.Length / SampleSize;
            yield return new SampleBatch(next, count, values, SampleShape);
            next += count;
        }
    }

    /// <summary>Sample <paramref name="sample"/>'s inputs (a copy).</summary>
    public float[] SampleInputs(int sample) => InputValues(sample, 1);

    /// <summary>The inputs of samples [start, start + count), a new array.</summary>
    private float[] InputValues(int start, int count)
    {
        if (Source is null) return inputs.AsSpan(start * SampleSize, count * SampleSize).ToArray();
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count - start);
        var values = GC.AllocateUninitializedArray<float>(checked(count * SampleSize));
        Source.Read(start, count, values);
        return values;
    }

    /// <summary>Labels of samples [start, start + count) as an int64 tensor.</summary>
    public Tensor LabelBatch(int start, int count) => torch.tensor(Labels.AsSpan(start, count).ToArray(), ScalarType.Int64);

    /// <summary>Label sets of samples [start, start + count) as a float tensor [count, ClassCount] (multi-label data only).</summary>
    /// <exception cref="InvalidOperationException">The data is single-label: use <see cref="LabelBatch"/>.</exception>
    public Tensor TargetBatch(int start, int count) => LabelSets is { } sets
        ? torch.tensor(sets.AsSpan(start * ClassCount, count * ClassCount).ToArray(), [count, ClassCount])
        : throw new InvalidOperationException(IsRegression
            ? "regression data has no label sets: use RegressionBatch"
            : "single-label data has no label sets: use LabelBatch");

    /// <summary>Regression targets of samples [start, start + count) as a float tensor [count, ..TargetShape] (regression data only).</summary>
    /// <exception cref="InvalidOperationException">The data has classes or label sets, not regression targets.</exception>
    public Tensor RegressionBatch(int start, int count) => Targets is { } targets
        ? torch.tensor(targets.AsSpan(start * TargetSize, count * TargetSize).ToArray(), [count, .. TargetShape!])
        : throw new InvalidOperationException($"{Kind} data has no regression targets: use {(IsMultiLabel ? "TargetBatch" : "LabelBatch")}");

    /// <summary>
    /// The targets of samples [start, start + count) as the loss of <see cref="Kind"/> takes them:
    /// int64 class indices, float label sets, or float regression rows.
    /// </summary>
    public Tensor BatchTargets(int start, int count) => Kind switch
    {
        TargetKind.Regression => RegressionBatch(start, count),
        TargetKind.LabelSet => TargetBatch(start, count),
        _ => LabelBatch(start, count),
    };

    /// <summary>Samples [start, start + count) as a new data set, its inputs held in <see cref="Inputs"/> (read from the source if there is one).</summary>
    public LabeledData Slice(int start, int count) => this with
    {
        Inputs = InputValues(start, count),
        Source = null,
        Labels = Labels.AsSpan(start, count).ToArray(),
        LabelSets = LabelSets?.AsSpan(start * ClassCount, count * ClassCount).ToArray(),
        Targets = Targets?.AsSpan(start * TargetSize, count * TargetSize).ToArray(),
        ObjectMasks = ObjectMasks?.AsSpan(start * ObjectMaskSize, count * ObjectMaskSize).ToArray(),
    };

    /// <summary>These samples followed by <paramref name="more"/>'s (the same kind of data: sample shape, classes, targets, object masks or none).</summary>
    /// <exception cref="ArgumentException">The two hold different kinds of data.</exception>
    public LabeledData Concat(LabeledData more)
    {
        if (!SampleShape.SequenceEqual(more.SampleShape) || ClassCount != more.ClassCount || Kind != more.Kind || TargetSize != more.TargetSize)
            throw new ArgumentException("only samples of the same shape, classes and targets can be joined");
        if ((ObjectMasks is null) != (more.ObjectMasks is null))
            throw new ArgumentException("only samples that both have object masks, or both have none, can be joined");
        return this with
        {
            Inputs = [.. Inputs, .. more.Inputs],
            Labels = [.. Labels, .. more.Labels],
            LabelSets = LabelSets is null ? null : [.. LabelSets, .. more.LabelSets!],
            Targets = Targets is null ? null : [.. Targets, .. more.Targets!],
            ObjectMasks = ObjectMasks is null ? null : [.. ObjectMasks, .. more.ObjectMasks!],
        };
    }
}
