using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Transport;
using ProbeGrid.Grains.Compute;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using static ProbeGrid.GrainsInterfaces.Results.MetricNames;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The "wasserstein" analysis of a sweep spec (layer behaviour through optimal transport): reads
/// the internal classifiers' and the transport's parameters, with the paper's defaults, and turns
/// a checkpoint's report into each layer's metric values.
/// </summary>
public sealed class WassersteinAnalysis : IGridAnalysis
{
    public const string Kind = "wasserstein";
    public const string CostFileParameter = "costFile";

    string IGridAnalysis.Kind => Kind;

    bool IGridAnalysis.NeedsClasses => true;

    bool IGridAnalysis.HasMaps => false;

    AnalysisPlots IGridAnalysis.Plots { get; } = AnalysisPlots.CurvesOf(WDistanceMean, KlMean, JsMean, ChebyshevMean, ClassifierAccuracy);

    /// <summary>
    /// The cost file is made the absolute path checked against the data roots (as the dataset root is), so every silo opens
    /// the file that was checked; it is read here to check it. The checks need the class count: with an invalid data set
    /// (reported on its own) they wait.
    /// </summary>
    AnalysisSettings? IGridAnalysis.ReadSettings(AnalysisSpec spec, AnalysisPlanContext context, string path, List<string> problems)
    {
        var outside = false;
        if (spec.Parameters.TryGetValue(CostFileParameter, out var file))
        {
            // A file outside the roots is left out, so the other parameters are still checked in this round.
            var resolved = context.UnderDataRoots(file, $"{path}.parameters.{CostFileParameter}", "the file", problems);
            outside = resolved is null;
            spec = spec with { Parameters = outside ? spec.Parameters.Remove(CostFileParameter) : spec.Parameters.SetItem(CostFileParameter, resolved!) };
        }
        var settings = context.DatasetValid ? ReadSettings(spec, path, context.ClassCount, problems) : null;
        return outside ? null : settings;
    }

    bool IGridAnalysis.FollowsPreviousCheckpoint(AnalysisSettings settings) => false;

    IAnalysisRunner IGridAnalysis.CreateRunner(AnalysisRunContext context, AnalysisSettings settings) => new WassersteinRunner(context, (WassersteinSettings)settings);

    public static readonly IReadOnlyList<string> ParameterNames =
    [
        "optimizer", "learningRate", "momentum", "batchSize", "maxEpochs", "patience", "minDelta", "weightDecay", "seed",
        "epsilon", "tolerance", "maxIterations", CostFileParameter, "costPower", "kindThreshold", "gridStep", "standardize",
    ];

    /// <summary>The paper trains its internal classifiers for 100 epochs of SGD (lr 0.01, momentum 0.9, weight decay 1e-4), without early stopping.</summary>
    public static ProbeOptions ClassifierDefaults { get; } = new()
    {
        Optimizer = ProbeOptions.Sgd, LearningRate = 0.01, Momentum = 0.9, WeightDecay = 1e-4, MaxEpochs = 100, Patience = 100,
    };

    /// <summary>The settings, or null with every problem added, each naming the field and the fix. Reads the cost file when one is named.</summary>
    public static WassersteinSettings? ReadSettings(AnalysisSpec spec, string path, int classCount, List<string> problems) =>
        AnalysisParameters.Settle(path, problems, found => Read(spec, path, classCount, found), s => s.Classifier.Validate().Concat(s.Transport.Validate())
            .Concat(s.Classifier.Optimizer == ProbeOptions.Optimal
                ? [$"optimizer '{ProbeOptions.Optimal}' is for probes: the internal classifiers train as the paper's do (sgd, rmsprop, adam or lbfgs)"]
                : []));

    /// <summary>The metrics of <paramref name="layer"/>; the deepest layer compared also carries the checkpoint's early-exit result.</summary>
    /// <exception cref="NonFiniteActivationException">the layer's activations were not finite.</exception>
    public static ImmutableArray<MetricValue> Metrics(WassersteinJob.Result result, CheckpointRef checkpoint, LayerRef layer, int repeat)
    {
        var metrics = new UnitMetrics(checkpoint, layer, repeat);

        // A layer with NaN or infinite activations has no classifier and no place in the comparison: its unit fails.
        if (result.NonFinite.TryGetValue(layer.Name, out var nonFinite)) throw new NonFiniteActivationException(nonFinite);
        var report = result.Report!;
        var t = report.Layers.Single(l => l.Tap == layer.Name);
        metrics.Add(WDistanceMean, t.WDistanceMean);
        metrics.Add(WDistanceStd, t.WDistanceStd);
        metrics.Add(KlMean, t.KlMean);
        metrics.Add(JsMean, t.JsMean);
        metrics.Add(ChebyshevMean, t.ChebyshevMean);
        metrics.Add(WDistanceSamples, t.Samples);
        metrics.Add(WDistanceDegenerate, t.Degenerate);
        metrics.Add(KindsEasy, t.Kinds.Easy);
        metrics.Add(KindsConfused, t.Kinds.Confused);
        metrics.Add(KindsHard, t.Kinds.Hard);
        metrics.Add(ClassifierAccuracy, t.Classifier.Accuracy);
        metrics.Add(ClassifierCf1, t.Classifier.ClassF1);
        metrics.Add(ClassifierOf1, t.Classifier.OverallF1);
        metrics.Add(ClassifierMap, t.Classifier.MeanAveragePrecision);
        var classifier = result.Classifiers[layer.Name];
        metrics.Add(ClassifierTrainLoss, classifier.TrainLoss);
        metrics.Add(ClassifierValLoss, classifier.ValidationLoss);
        metrics.Add(ClassifierTestLoss, classifier.TestLoss);
        metrics.Add(ClassifierEpochs, classifier.EpochsRun);
        metrics.Add(ClassifierBestEpoch, classifier.BestEpoch);
        metrics.Add(EarlyExitShare, t.ExitShare);
        metrics.Add(SinkhornIterations, t.SinkhornIterations);
        metrics.Add(SinkhornUnconverged, t.UnconvergedPairs);

        // The per-checkpoint metrics go with the deepest layer compared: the sweep's last, unless its activations were not finite.
        if (layer.Name == report.Layers[^1].Tap)
        {
            var e = report.EarlyExit;
            metrics.Add(EarlyExitAccuracy, e.Test.Accuracy);
            metrics.Add(EarlyExitCf1, e.Test.ClassF1);
            metrics.Add(EarlyExitOf1, e.Test.OverallF1);
            metrics.Add(EarlyExitMap, e.Test.MeanAveragePrecision);
            metrics.Add(EarlyExitS2, e.Choice.S2);
            metrics.Add(EarlyExitRho, e.Choice.Rho);
            metrics.Add(EarlyExitValAccuracy, e.Choice.ValidationAccuracy);
            metrics.Add(BaselineAccuracy, e.Baseline.Accuracy);
            metrics.Add(BaselineCf1, e.Baseline.ClassF1);
            metrics.Add(BaselineOf1, e.Baseline.OverallF1);
            metrics.Add(BaselineMap, e.Baseline.MeanAveragePrecision);
        }
        return metrics.ToImmutable();
    }

    private static WassersteinSettings Read(AnalysisSpec spec, string path, int classCount, List<string> problems)
    {
        var p = new AnalysisParameters(spec, path, ParameterNames);
        var classifier = ProbeAnalysis.ReadClassifier(p, ClassifierDefaults);
        var sinkhorn = new SinkhornOptions();
        sinkhorn = sinkhorn with
        {
            Epsilon = p.Real("epsilon", sinkhorn.Epsilon),
            Tolerance = p.Real("tolerance", sinkhorn.Tolerance),
            MaxIterations = p.Int("maxIterations", sinkhorn.MaxIterations),
        };
        var defaults = new WassersteinOptions();
        var power = p.Real("costPower", 1);
        if (!(power > 0 && double.IsFinite(power))) problems.Add($"{path}.parameters.costPower {power} must be a positive number (C_ij = d(i, j)^costPower)");
        var file = p.OptionalText(CostFileParameter);
        if (file is not null)
        {
            try { CostMatrix.FromEmbeddingFile(file, classCount, power); }
            catch (ArgumentException e) { problems.Add($"{path}.parameters.{CostFileParameter}: {e.Message}"); }
        }
        var transport = defaults with
        {
            Sinkhorn = sinkhorn,
            KindThreshold = p.Real("kindThreshold", defaults.KindThreshold),
            GridStep = p.Real("gridStep", defaults.GridStep),
        };
        var standardize = p.Bool("standardize", false);
        problems.AddRange(p.Problems);
        return new WassersteinSettings(classifier, transport, file, power, standardize);
    }
}
