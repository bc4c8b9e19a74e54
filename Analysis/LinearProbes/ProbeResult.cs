namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// One layer's probe at its best epoch (lowest validation loss): prediction error and mean
/// cross-entropy on each split, how many epochs ran before early stopping, and the weights.
/// </summary>
public sealed record ProbeResult(
    string Tap,
    double TrainError,
    double TrainLoss,
    double ValidationError,
    double ValidationLoss,
    double TestError,
    double TestLoss,
    int EpochsRun,
    int BestEpoch,
    ProbeWeights Weights)
{
    /// <summary>True when the probe started from the previous checkpoint's weights rather than zeros.</summary>
    public bool WarmStarted { get; init; }

    /// <summary>How the optimum was reached, for a probe of <see cref="ProbeOptions.Optimal"/> (its <see cref="Weights"/> then apply to standardised features).</summary>
    public ProbeOptimum? Optimum { get; init; }
}
