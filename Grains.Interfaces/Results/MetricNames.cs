namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>The stable metric names a sweep reports; README's "Metrics" table documents each.</summary>
public static class MetricNames
{
    public const string ProbeTrainError = "probe.train_error";
    public const string ProbeTrainLoss = "probe.train_loss";
    public const string ProbeValError = "probe.val_error";
    public const string ProbeValLoss = "probe.val_loss";
    public const string ProbeTestError = "probe.test_error";
    public const string ProbeTestLoss = "probe.test_loss";
    public const string ProbeEpochs = "probe.epochs";
    public const string ProbeBestEpoch = "probe.best_epoch";
    public const string ProbeWarmStarted = "probe.warm_started";

    /// <summary>The "synthetic" analysis: how long the unit held its executor slot.</summary>
    public const string SyntheticDurationMs = "synthetic.duration_ms";

    public static IReadOnlyList<string> Probe { get; } =
        [ProbeTrainError, ProbeTrainLoss, ProbeValError, ProbeValLoss, ProbeTestError, ProbeTestLoss, ProbeEpochs, ProbeBestEpoch, ProbeWarmStarted];
}
