namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// The paper's multi-label metrics on one split: accuracy (exact match of the label set), CF1,
/// OF1 and mAP. <see cref="MeanAveragePrecision"/> is null when no class has a positive sample.
/// </summary>
public sealed record ClassificationScores(double Accuracy, double ClassF1, double OverallF1, double? MeanAveragePrecision);
