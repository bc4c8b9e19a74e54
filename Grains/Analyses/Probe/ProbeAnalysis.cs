using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The "probe" analysis of a sweep spec (Alain and Bengio 2016): reads its parameters into
/// <see cref="ProbeOptions"/> and turns probe results into metric values.
/// </summary>
public sealed class ProbeAnalysis : IGridAnalysis
{
    public const string Kind = "probe";

    string IGridAnalysis.Kind => Kind;

    bool IGridAnalysis.NeedsClasses => true;

    bool IGridAnalysis.HasMaps => false;

    AnalysisPlots IGridAnalysis.Plots { get; } = AnalysisPlots.CurvesOf(MetricNames.ProbeTestError, MetricNames.ProbeTrainError);

    AnalysisSpec IGridAnalysis.ResolvePaths(AnalysisSpec spec, AnalysisPlanContext context, string path, List<string> problems) => spec;

    IEnumerable<string> IGridAnalysis.Check(AnalysisSpec spec, AnalysisPlanContext context, string path) => Validate(spec, path);

    /// <summary>A warm start reads the previous checkpoint's stored probes.</summary>
    bool IGridAnalysis.FollowsPreviousCheckpoint(AnalysisSpec spec) => WarmStart(spec);

    IAnalysisRunner IGridAnalysis.CreateRunner(AnalysisRunContext context) => new ProbeRunner(context);

    public static readonly IReadOnlyList<string> ParameterNames =
        ["optimizer", "learningRate", "momentum", "batchSize", "maxEpochs", "patience", "minDelta", "weightDecay", "seed", "warmStart"];

    public static bool WarmStart(AnalysisSpec spec) =>
        spec.Parameters.TryGetValue("warmStart", out var v) && bool.Parse(v);

    /// <summary>Every problem with the parameters, each naming the field and the fix.</summary>
    public static IReadOnlyList<string> Validate(AnalysisSpec spec, string path) =>
        // A value that does not parse is read as its default, so the range checks see only the
        // values that did parse and report nothing twice: names, parse and range problems come in one round.
        AnalysisParameters.ProblemsOf(path, problems => Read(spec, path, problems), o => o.Validate());

    public static ProbeOptions Options(AnalysisSpec spec)
    {
        var problems = new List<string>();
        var options = Read(spec, "probe", problems);
        if (problems.Count > 0) throw new SpecException(problems);
        return options;
    }

    public static ImmutableArray<MetricValue> Metrics(ProbeResult result, CheckpointRef checkpoint, LayerRef layer, int repeat)
    {
        var m = new UnitMetrics(checkpoint, layer, repeat);
        m.Add(MetricNames.ProbeTrainError, result.TrainError);
        m.Add(MetricNames.ProbeTrainLoss, result.TrainLoss);
        m.Add(MetricNames.ProbeValError, result.ValidationError);
        m.Add(MetricNames.ProbeValLoss, result.ValidationLoss);
        m.Add(MetricNames.ProbeTestError, result.TestError);
        m.Add(MetricNames.ProbeTestLoss, result.TestLoss);
        m.Add(MetricNames.ProbeEpochs, result.EpochsRun);
        m.Add(MetricNames.ProbeBestEpoch, result.BestEpoch);
        m.Add(MetricNames.ProbeWarmStarted, result.WarmStarted ? 1 : 0);
        return m.ToImmutable();
    }

    private static ProbeOptions Read(AnalysisSpec spec, string path, List<string> problems)
    {
        var p = new AnalysisParameters(spec, path, ParameterNames);
        p.Bool("warmStart", false);
        var options = ReadClassifier(p, new ProbeOptions());
        problems.AddRange(p.Problems);
        return options;
    }

    /// <summary>The training parameters probes share with the Wasserstein analysis's internal classifiers.</summary>
    internal static ProbeOptions ReadClassifier(AnalysisParameters p, ProbeOptions defaults) => defaults with
    {
        Optimizer = p.Text("optimizer", defaults.Optimizer),
        LearningRate = p.Real("learningRate", defaults.LearningRate),
        Momentum = p.Real("momentum", defaults.Momentum),
        BatchSize = p.Int("batchSize", defaults.BatchSize),
        MaxEpochs = p.Int("maxEpochs", defaults.MaxEpochs),
        Patience = p.Int("patience", defaults.Patience),
        MinDelta = p.Real("minDelta", defaults.MinDelta),
        WeightDecay = p.Real("weightDecay", defaults.WeightDecay),
        Seed = p.Long("seed", defaults.Seed),
    };
}
