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
/// </summary>
public sealed record LabeledData(float[] Inputs, long[] SampleShape, long[] Labels, int ClassCount)
{
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
    public Tensor InputBatch(int start, int count)
    {
        var shape = new long[SampleShape.Length + 1];
        shape[0] = count;
        SampleShape.CopyTo(shape, 1);
        return torch.tensor(Inputs.AsSpan(start * SampleSize, count * SampleSize).ToArray(), shape);
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

    /// <summary>Samples [start, start + count) as a new data set.</summary>
    public LabeledData Slice(int start, int count) => this with
    {
        Inputs = Inputs.AsSpan(start * SampleSize, count * SampleSize).ToArray(),
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
