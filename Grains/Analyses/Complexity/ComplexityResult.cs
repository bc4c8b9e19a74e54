using ProbeGrid.Analysis.Complexity;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// What a complexity unit found: the per-order metrics, each disentangler's final MSE, ρ_reliable per
/// order (null without peers), the remainder's share of the feature's variance, the task loss of the
/// feature itself (the coalition of every component) and of the remainder Δf alone (the empty
/// coalition), and how the coalitions were evaluated.
/// </summary>
public sealed record ComplexityResult(
    ComplexityMetrics Metrics,
    double[] MimicLosses,
    double[]? Reliability,
    double RemainderShare,
    (double Train, double Test) FeatureLoss,
    (double Train, double Test) RemainderLoss,
    int Coalitions,
    int Shards);
