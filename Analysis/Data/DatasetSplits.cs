namespace ProbeGrid.Analysis.Data;

/// <summary>The three splits a probe needs: fit on Train, early-stop on Validation, report on Test.</summary>
public sealed record DatasetSplits(LabeledData Train, LabeledData Validation, LabeledData Test)
{
    public long[] SampleShape => Train.SampleShape;
    public int ClassCount => Train.ClassCount;
}
