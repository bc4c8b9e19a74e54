namespace ProbeGrid.Analysis.Data;

/// <summary>The three splits a probe needs: fit on Train, early-stop on Validation, report on Test.</summary>
public sealed record DatasetSplits(LabeledData Train, LabeledData Validation, LabeledData Test)
{
    public long[] SampleShape => Train.SampleShape;
    public int ClassCount => Train.ClassCount;

    /// <summary>
    /// Inputs the data set left out and replaced with others, each "path: reason" (e.g. unreadable images of an
    /// image folder loaded with onCorrupt=skip); empty for generated data and for loads that skipped nothing.
    /// </summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>Which targets the samples carry (the same in every split).</summary>
    public TargetKind Kind => Train.Kind;

    /// <summary>The shape of one sample's regression target; null for class and label-set data.</summary>
    public long[]? TargetShape => Train.TargetShape;
}
