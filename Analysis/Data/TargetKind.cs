namespace ProbeGrid.Analysis.Data;

/// <summary>
/// What a data set asks a network to produce for each sample, and so which task loss applies:
/// the one place the three kinds are told apart (a float tensor alone cannot say whether it
/// holds label sets or regression targets).
/// </summary>
public enum TargetKind
{
    /// <summary>One class per sample (<see cref="LabeledData.Labels"/>, int64): cross-entropy over the logits.</summary>
    ClassIndex,

    /// <summary>A 0/1 row per sample (<see cref="LabeledData.LabelSets"/>, float [N, classes]): binary cross-entropy, one sigmoid a class.</summary>
    LabelSet,

    /// <summary>A real-valued tensor per sample (<see cref="LabeledData.Targets"/>, float [N, ..TargetShape]): mean squared error.</summary>
    Regression,
}
