using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The "probe" analysis of a sweep spec (Alain and Bengio 2016): reads its parameters into
/// <see cref="ProbeSettings"/> and turns probe results into metric values.
/// </summary>
public sealed class ProbeAnalysis : IGridAnalysis
{
    public const string Kind = "probe";

    string IGridAnalysis.Kind => Kind;

    /// <summary>Plans stored before settings were kept ran the paper's rmsprop when the spec named no optimizer.</summary>
    public AnalysisSpec AsStoredBeforeSettings(AnalysisSpec spec) =>
        spec.Parameters.ContainsKey("optimizer") ? spec : spec with { Parameters = spec.Parameters.SetItem("optimizer", ProbeOptions.RmsProp) };

    bool IGridAnalysis.NeedsClasses => true;

    bool IGridAnalysis.HasMaps => false;

    AnalysisPlots IGridAnalysis.Plots { get; } = AnalysisPlots.CurvesOf(MetricNames.ProbeTestError, MetricNames.ProbeTrainError);

    AnalysisSettings? IGridAnalysis.ReadSettings(AnalysisSpec spec, AnalysisPlanContext context, string path, List<string> problems) =>
        ReadSettings(spec, path, problems);

    /// <summary>A warm start reads the previous checkpoint's stored probes.</summary>
    bool IGridAnalysis.FollowsPreviousCheckpoint(AnalysisSettings settings) => ((ProbeSettings)settings).WarmStart;

    IAnalysisRunner IGridAnalysis.CreateRunner(AnalysisRunContext context, AnalysisSettings settings) => new ProbeRunner(context, (ProbeSettings)settings);

    public static readonly IReadOnlyList<string> ParameterNames =
        ["optimizer", "learningRate", "momentum", "batchSize", "maxEpochs", "patience", "minDelta", "weightDecay", "seed", "warmStart",
         "l2Grid", "gradientTolerance", "maxIterations", "precision"];

    /// <summary>The solver's parameters, which apply to optimizer <see cref="ProbeOptions.Optimal"/> only.</summary>
    private static readonly IReadOnlyList<string> OptimumParameters = ["l2Grid", "gradientTolerance", "maxIterations", "precision"];

    /// <summary>The solver's floating-point widths: float64 (the default; its tolerances need it) or float32 (faster, tolerances of 1e-4 or more).</summary>
    private static readonly IReadOnlyList<string> Precisions = ["float64", "float32"];

    /// <summary>The parameters of the trained optimizers, which optimizer <see cref="ProbeOptions.Optimal"/> has no use for.</summary>
    private static readonly IReadOnlyList<string> TrainingParameters = ["learningRate", "momentum", "batchSize", "maxEpochs", "patience", "minDelta", "weightDecay"];

    /// <summary>
    /// The settings, or null with every problem added: a value that does not parse reads as its default, so the range
    /// checks see only the values that did parse and nothing is reported twice.
    /// </summary>
    public static ProbeSettings? ReadSettings(AnalysisSpec spec, string path, List<string> problems) =>
        AnalysisParameters.Settle(path, problems, found => Read(spec, path, found), s => [.. s.Classifier.Validate(), .. s.Optimum?.Validate() ?? []]);

    public static ImmutableArray<MetricValue> Metrics(ProbeResult result, CheckpointRef checkpoint, LayerRef layer, int repeat)
    {
        var m = new UnitMetrics(checkpoint, layer, repeat);
        m.Add(MetricNames.ProbeTrainError, result.TrainError);
        m.Add(MetricNames.ProbeTrainLoss, result.TrainLoss);
        m.Add(MetricNames.ProbeValError, result.ValidationError);
        m.Add(MetricNames.ProbeValLoss, result.ValidationLoss);
        m.Add(MetricNames.ProbeTestError, result.TestError);
        m.Add(MetricNames.ProbeTestLoss, result.TestLoss);
        if (result.Optimum is { } optimum)
        {
            m.Add(MetricNames.ProbeL2, optimum.L2);
            m.Add(MetricNames.ProbeConverged, optimum.Converged ? 1 : 0);
            m.Add(MetricNames.ProbeIterations, optimum.Iterations);
            m.Add(MetricNames.ProbeGradientNorm, optimum.GradientNorm);
            m.Add(MetricNames.ProbeObjective, optimum.Objective);
        }
        else
        {
            m.Add(MetricNames.ProbeEpochs, result.EpochsRun);
            m.Add(MetricNames.ProbeBestEpoch, result.BestEpoch);
        }
        m.Add(MetricNames.ProbeWarmStarted, result.WarmStarted ? 1 : 0);
        return m.ToImmutable();
    }

    private static ProbeSettings Read(AnalysisSpec spec, string path, List<string> problems)
    {
        var p = new AnalysisParameters(spec, path, ParameterNames);
        var warmStart = p.Bool("warmStart", false);
        // The default probe is solved to its optimum; the paper's trained optimizers are an explicit choice.
        var classifier = ReadClassifier(p, new ProbeOptions { Optimizer = ProbeOptions.Optimal });
        OptimalProbeOptions? optimum = null;
        if (classifier.Optimizer == ProbeOptions.Optimal)
        {
            // The solver has no step size, batches, epochs or early stopping, and its L2 strength comes from l2Grid.
            foreach (var name in TrainingParameters.Where(spec.Parameters.ContainsKey))
                p.Problems.Add($"{path}.parameters.{name} does not apply to optimizer '{ProbeOptions.Optimal}'" +
                               (spec.Parameters.ContainsKey("optimizer") ? "" : ", the default,") + " (solved to its optimum" +
                               (name == "weightDecay" ? "; its L2 strengths are l2Grid)" : ")") +
                               $": leave it out, or set optimizer to '{ProbeOptions.RmsProp}' (the paper's) or another trained optimizer");
            var defaults = new OptimalProbeOptions();
            optimum = defaults with
            {
                L2Grid = p.RealList("l2Grid") ?? defaults.L2Grid,
                GradientTolerance = p.Real("gradientTolerance", defaults.GradientTolerance),
                MaxIterations = p.Int("maxIterations", defaults.MaxIterations),
                DoublePrecision = p.Text("precision", Precisions[0]) != Precisions[1],
            };
            if (p.OptionalText("precision") is { } precision && !Precisions.Contains(precision))
                p.Problems.Add($"{path}.parameters.precision '{precision}' is not a precision: use {string.Join(" or ", Precisions)}");
        }
        else
        {
            foreach (var name in OptimumParameters.Where(spec.Parameters.ContainsKey))
                p.Problems.Add($"{path}.parameters.{name} applies to optimizer '{ProbeOptions.Optimal}' only: leave it out, or set optimizer to '{ProbeOptions.Optimal}'");
        }
        var settings = new ProbeSettings(classifier, warmStart, optimum);
        problems.AddRange(p.Problems);
        return settings;
    }

    /// <summary>The training parameters probes share with the Wasserstein analysis's internal classifiers.</summary>
    internal static ProbeOptions ReadClassifier(AnalysisParameters p, ProbeOptions defaults)
    {
        var optimizer = p.Text("optimizer", defaults.Optimizer);
        // A default momentum belongs to the optimizers that take one: asking for adam or lbfgs does not inherit SGD's 0.9.
        var momentum = optimizer is ProbeOptions.Sgd or ProbeOptions.RmsProp ? defaults.Momentum : 0;
        return defaults with
        {
            Optimizer = optimizer,
            LearningRate = p.Real("learningRate", defaults.LearningRate),
            Momentum = p.Real("momentum", momentum),
            BatchSize = p.Int("batchSize", defaults.BatchSize),
            MaxEpochs = p.Int("maxEpochs", defaults.MaxEpochs),
            Patience = p.Int("patience", defaults.Patience),
            MinDelta = p.Real("minDelta", defaults.MinDelta),
            WeightDecay = p.Real("weightDecay", defaults.WeightDecay),
            Seed = p.Long("seed", defaults.Seed),
        };
    }
}
