namespace ProbeGrid.Analysis.Transport;

/// <summary>One layer's distances to the target distributions on the test split, means over samples with a distribution (null when none has).</summary>
public sealed record LayerTransport(
    string Tap,
    double? WDistanceMean,
    double? WDistanceStd,
    double? KlMean,
    double? JsMean,
    double? ChebyshevMean,
    int Samples,
    int Degenerate,
    SampleKinds.Counts Kinds,
    ClassificationScores Classifier,
    double ExitShare,
    int SinkhornIterations,
    int UnconvergedPairs);

/// <summary>Early exit chosen on validation and scored on test, against the last layer alone.</summary>
public sealed record EarlyExitReport(EarlyExit.Choice Choice, ClassificationScores Test, ClassificationScores Baseline);

/// <summary>The Wasserstein analysis of one checkpoint: per layer in depth order, and early exit across them.</summary>
public sealed record WassersteinReport(IReadOnlyList<LayerTransport> Layers, EarlyExitReport EarlyExit, string? Warning);
