namespace ProbeGrid.GrainsInterfaces.Results;

/// <summary>The stable metric names a sweep reports; each analysis's page (docs/analyses/) documents its own, and Tests/Docs holds every one to that.</summary>
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
    public const string ProbeL2 = "probe.l2";
    public const string ProbeConverged = "probe.converged";
    public const string ProbeIterations = "probe.iterations";
    public const string ProbeGradientNorm = "probe.grad_norm";
    public const string ProbeObjective = "probe.objective";

    // The "wasserstein" analysis, per layer, on the test split.
    public const string WDistanceMean = "wdist.mean";
    public const string WDistanceStd = "wdist.std";
    public const string KlMean = "kl.mean";
    public const string JsMean = "js.mean";
    public const string ChebyshevMean = "chebyshev.mean";
    public const string WDistanceSamples = "wdist.samples";
    public const string WDistanceDegenerate = "wdist.degenerate";
    public const string KindsEasy = "kinds.easy";
    public const string KindsConfused = "kinds.confused";
    public const string KindsHard = "kinds.hard";
    public const string ClassifierAccuracy = "ic.accuracy";
    public const string ClassifierCf1 = "ic.cf1";
    public const string ClassifierOf1 = "ic.of1";
    public const string ClassifierMap = "ic.map";
    public const string ClassifierTrainLoss = "ic.train_loss";
    public const string ClassifierValLoss = "ic.val_loss";
    public const string ClassifierTestLoss = "ic.test_loss";
    public const string ClassifierEpochs = "ic.epochs";
    public const string ClassifierBestEpoch = "ic.best_epoch";
    public const string EarlyExitShare = "earlyexit.exit_share";
    public const string SinkhornIterations = "sinkhorn.iterations";
    public const string SinkhornUnconverged = "sinkhorn.unconverged";

    // The "wasserstein" analysis, per checkpoint: reported at the sweep's deepest layer (the baseline).
    public const string EarlyExitAccuracy = "earlyexit.accuracy";
    public const string EarlyExitCf1 = "earlyexit.cf1";
    public const string EarlyExitOf1 = "earlyexit.of1";
    public const string EarlyExitMap = "earlyexit.map";
    public const string EarlyExitS2 = "earlyexit.s2";
    public const string EarlyExitRho = "earlyexit.rho";
    public const string EarlyExitValAccuracy = "earlyexit.val_accuracy";
    public const string BaselineAccuracy = "baseline.accuracy";
    public const string BaselineCf1 = "baseline.cf1";
    public const string BaselineOf1 = "baseline.of1";
    public const string BaselineMap = "baseline.map";

    // The "complexity" analysis, per layer. Per-order metrics are named "<name>.l<order>" (complexity.significance.l4).
    public const string ComplexitySignificance = "complexity.significance";
    public const string ComplexityEffectiveness = "complexity.effectiveness";
    public const string ComplexityOverfitting = "complexity.overfitting";
    public const string ComplexityReliability = "complexity.reliability";
    public const string ComplexityShapleyTrain = "complexity.shapley_train";
    public const string ComplexityShapleyTrainError = "complexity.shapley_train_se";
    public const string ComplexityShapleyOverfit = "complexity.shapley_overfit";
    public const string ComplexityShapleyOverfitError = "complexity.shapley_overfit_se";
    public const string ComplexityMimicLoss = "complexity.mimic_loss";
    public const string ComplexityRemainder = "complexity.remainder";
    public const string ComplexityLossTrain = "complexity.loss_train";
    public const string ComplexityLossTest = "complexity.loss_test";
    public const string ComplexityRemainderLossTrain = "complexity.remainder_loss_train";
    public const string ComplexityRemainderLossTest = "complexity.remainder_loss_test";
    public const string ComplexityCoalitions = "complexity.coalitions";
    public const string ComplexityShards = "complexity.shards";

    // The "discarding" analysis (layerwise information discarding): means over a unit's samples, with their standard deviations.
    public const string SidTotal = "sid.total";
    public const string SidTotalStd = "sid.total_std";
    public const string SidConcentration = "sid.concentration";
    public const string SidConcentrationStd = "sid.concentration_std";
    public const string SidDeltaF2 = "sid.delta_f2";
    public const string SidLambda = "sid.lambda";
    public const string SidRatio = "sid.ratio";
    public const string SidCapped = "sid.capped";
    public const string SidUnconverged = "sid.unconverged";
    public const string RuTotal = "ru.total";
    public const string RuTotalStd = "ru.total_std";
    public const string RuConcentration = "ru.concentration";
    public const string RuConcentrationStd = "ru.concentration_std";
    public const string RuLambda = "ru.lambda";
    public const string RuRatio = "ru.ratio";
    public const string RuCapped = "ru.capped";
    public const string RuUnconverged = "ru.unconverged";
    public const string RuDecoderMse = "ru.decoder_mse";
    public const string RuInputVariance = "ru.input_variance";
    public const string SaliencyMean = "saliency.mean";
    public const string DiscardingSamples = "discarding.samples";
    public const string DiscardingShards = "discarding.shards";

    /// <summary>The "synthetic" analysis: how long the unit held its executor slot.</summary>
    public const string SyntheticDurationMs = "synthetic.duration_ms";

    public static IReadOnlyList<string> Probe { get; } =
        [ProbeTrainError, ProbeTrainLoss, ProbeValError, ProbeValLoss, ProbeTestError, ProbeTestLoss, ProbeEpochs, ProbeBestEpoch, ProbeWarmStarted];

    /// <summary>A probe solved to its optimum (optimizer "optimal") reports these in place of the epochs.</summary>
    public static IReadOnlyList<string> OptimalProbe { get; } =
        [ProbeTrainError, ProbeTrainLoss, ProbeValError, ProbeValLoss, ProbeTestError, ProbeTestLoss,
         ProbeL2, ProbeConverged, ProbeIterations, ProbeGradientNorm, ProbeObjective, ProbeWarmStarted];
}
