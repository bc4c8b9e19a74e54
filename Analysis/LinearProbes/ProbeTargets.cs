using static TorchSharp.torch;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// What a probe learns to predict on one split: a class per sample (softmax probe, cross-entropy)
/// or a 0/1 label set per sample (sigmoid probe, binary cross-entropy; the Wasserstein paper's
/// multi-label internal classifiers).
/// </summary>
public sealed class ProbeTargets
{
    private ProbeTargets(long[]? classes, float[]? labelSets, int count)
    {
        ClassIndices = classes;
        LabelSets = labelSets;
        Count = count;
    }

    /// <summary>One class index per sample.</summary>
    public long[]? ClassIndices { get; }

    /// <summary>Row-major 0/1 rows of the class count, one per sample.</summary>
    public float[]? LabelSets { get; }

    public int Count { get; }

    public bool IsMultiLabel => LabelSets is not null;

    public static ProbeTargets Classes(long[] labels) => new(labels, null, labels.Length);

    /// <exception cref="ArgumentException">The rows do not divide into samples of <paramref name="classCount"/>.</exception>
    public static ProbeTargets Sets(float[] rows, int classCount)
    {
        if (classCount < 1 || rows.Length % classCount != 0)
            throw new ArgumentException($"{rows.Length} label-set values do not make rows of {classCount} classes", nameof(rows));
        return new ProbeTargets(null, rows, rows.Length / classCount);
    }

    /// <summary>Row-major 0/1 rows [Count, classCount]: the label sets, or one-hot rows of the classes.</summary>
    public float[] Rows(int classCount)
    {
        if (LabelSets is { } sets) return sets;
        var rows = new float[Count * classCount];
        for (var i = 0; i < Count; i++) rows[i * classCount + ClassIndices![i]] = 1;
        return rows;
    }

    /// <summary>int64 [N] for classes, float32 [N, K] for label sets: the dtype tells the objective which loss applies.</summary>
    internal Tensor ToTensor(Device device) => LabelSets is { } sets
        ? tensor(sets, [Count, sets.Length / Math.Max(Count, 1)], device: device)
        : tensor(ClassIndices!, device: device);

    internal IEnumerable<string> Problems(string split, int classCount)
    {
        if (ClassIndices is { } classes && classes.Any(y => y < 0 || y >= classCount))
            yield return $"{split} labels must lie in [0, {classCount})";
        if (LabelSets is { } sets)
        {
            if (sets.Length != Count * classCount) yield return $"{split} label sets have {sets.Length / Math.Max(Count, 1)} classes, not {classCount}";
            if (sets.Any(v => v is not (0f or 1f))) yield return $"{split} label sets must hold only 0 and 1";
        }
    }
}
