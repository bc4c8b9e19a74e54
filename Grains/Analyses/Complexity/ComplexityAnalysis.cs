using System.Globalization;
using ProbeGrid.Analysis.Complexity;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using static ProbeGrid.GrainsInterfaces.Results.MetricNames;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The "complexity" analysis of a sweep spec (feature components of different complexity orders):
/// reads the disentanglers' and the games' parameters, with defaults that fit a CPU, and turns a
/// unit's result into its metric values, one per order.
/// </summary>
public sealed class ComplexityAnalysis : IGridAnalysis
{
    public const string Kind = "complexity";

    string IGridAnalysis.Kind => Kind;

    bool IGridAnalysis.NeedsClasses => false;

    bool IGridAnalysis.HasMaps => false;

    string IGridAnalysis.RunsFromTaps => "its Shapley games feed each layer's feature components to the network above the layer";

    AnalysisPlots IGridAnalysis.Plots { get; } = new([], [ComplexitySignificance, ComplexityReliability, ComplexityEffectiveness, ComplexityOverfitting]);

    /// <summary>The peers made absolute paths checked against the data roots; the parameters; then (when they are valid and the layers known) the layers and the peers against the network.</summary>
    AnalysisSettings? IGridAnalysis.ReadSettings(AnalysisSpec spec, AnalysisPlanContext context, string path, List<string> problems)
    {
        var before = problems.Count;
        var settings = ReadSettings(ComplexityPlanChecks.ResolvePeers(spec, context, path, problems), path, problems);
        if (settings is not null && !context.Layers.IsEmpty)
            problems.AddRange([.. ComplexityPlanChecks.DisentanglerProblems(settings, context, path), .. ComplexityPlanChecks.PeerProblems(settings, context, path)]);
        return problems.Count > before ? null : settings;
    }

    bool IGridAnalysis.FollowsPreviousCheckpoint(AnalysisSettings settings) => false;

    IAnalysisRunner IGridAnalysis.CreateRunner(AnalysisRunContext context, AnalysisSettings settings) => new ComplexityRunner(context, (ComplexitySettings)settings);

    public static readonly IReadOnlyList<string> ParameterNames =
    [
        "orders", "width", "epochs", "batchSize", "learningRate", "finalLearningRate", "seed",
        "fitSamples", "gameSamples", "shards", "permutations",
        PeersParameter, "cycleEpochs", "cycleRounds", "cycleLearningRate", "cycleFinalLearningRate",
    ];

    /// <summary>Checkpoint files of exemplary networks trained for the same task, comma-separated: with them the unit measures reliability.</summary>
    public const string PeersParameter = "peers";

    public static ComplexitySettings Defaults { get; } =
        new(new DisentanglerOptions(), FitSamples: 2000, GameSamples: 500, Shards: 4, Permutations: 200, Peers: [], new ReliabilityOptions());

    /// <summary>The peers' checkpoint files as the spec lists them.</summary>
    public static ImmutableArray<string> Peers(AnalysisSpec spec) =>
        spec.Parameters.TryGetValue(PeersParameter, out var text)
            ? [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
            : [];

    /// <summary>The settings, or null with every problem added, each naming the field and the fix.</summary>
    public static ComplexitySettings? ReadSettings(AnalysisSpec spec, string path, List<string> problems) =>
        AnalysisParameters.Settle(path, problems, found => Read(spec, path, found), s => s.Validate());

    /// <summary>The metric name of <paramref name="metric"/> at complexity order <paramref name="order"/>, e.g. complexity.significance.l4.</summary>
    public static string AtOrder(string metric, int order) => $"{metric}.l{order.ToString(CultureInfo.InvariantCulture)}";

    public static ImmutableArray<MetricValue> Metrics(ComplexityResult result, CheckpointRef checkpoint, LayerRef layer, int repeat)
    {
        var metrics = new UnitMetrics(checkpoint, layer, repeat);
        // α_overfit has no value where a component does not move the training loss: its point is left out.

        var m = result.Metrics;
        for (var i = 0; i < m.Orders.Count; i++)
        {
            var order = m.Orders[i];
            metrics.AddFinite(AtOrder(ComplexitySignificance, order), m.Significance[i]);
            metrics.AddFinite(AtOrder(ComplexityEffectiveness, order), m.AlphaEffective[i]);
            metrics.AddFinite(AtOrder(ComplexityOverfitting, order), m.AlphaOverfit[i]);
            metrics.AddFinite(AtOrder(ComplexityShapleyTrain, order), m.Effectiveness.Values[i]);
            metrics.AddFinite(AtOrder(ComplexityShapleyTrainError, order), m.Effectiveness.StandardErrors[i]);
            metrics.AddFinite(AtOrder(ComplexityShapleyOverfit, order), m.Overfitting.Values[i]);
            metrics.AddFinite(AtOrder(ComplexityShapleyOverfitError, order), m.Overfitting.StandardErrors[i]);
            metrics.AddFinite(AtOrder(ComplexityMimicLoss, order), result.MimicLosses[i]);
            if (result.Reliability is { } reliability) metrics.AddFinite(AtOrder(ComplexityReliability, order), reliability[i]);
        }
        metrics.AddFinite(ComplexityRemainder, result.RemainderShare);
        metrics.AddFinite(ComplexityLossTrain, result.FeatureLoss.Train);
        metrics.AddFinite(ComplexityLossTest, result.FeatureLoss.Test);
        metrics.AddFinite(ComplexityRemainderLossTrain, result.RemainderLoss.Train);
        metrics.AddFinite(ComplexityRemainderLossTest, result.RemainderLoss.Test);
        metrics.AddFinite(ComplexityCoalitions, result.Coalitions);
        metrics.AddFinite(ComplexityShards, result.Shards);
        return metrics.ToImmutable();
    }

    private static ComplexitySettings Read(AnalysisSpec spec, string path, List<string> problems)
    {
        var p = new AnalysisParameters(spec, path, ParameterNames);
        var d = Defaults.Disentangler;
        var orders = d.Orders;
        if (p.OptionalText("orders") is { } text)
        {
            var parsed = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : (int?)null).ToList();
            if (parsed.Count == 0 || parsed.Any(v => v is null))
                p.Problems.Add($"{path}.parameters.orders '{text}' must be comma-separated whole numbers of ReLU layers, e.g. \"1,4,7,13\"");
            else orders = parsed.Select(v => v!.Value).ToArray();
        }
        var disentangler = d with
        {
            Orders = orders,
            Width = p.Real("width", d.Width),
            Epochs = p.Int("epochs", d.Epochs),
            BatchSize = p.Int("batchSize", d.BatchSize),
            InitialLearningRate = p.Real("learningRate", d.InitialLearningRate),
            FinalLearningRate = p.Real("finalLearningRate", d.FinalLearningRate),
            Seed = p.Long("seed", d.Seed),
        };
        var r = Defaults.Reliability;
        var settings = new ComplexitySettings(
            disentangler,
            p.Int("fitSamples", Defaults.FitSamples),
            p.Int("gameSamples", Defaults.GameSamples),
            p.Int("shards", Defaults.Shards),
            p.Int("permutations", Defaults.Permutations),
            Peers(spec),
            r with
            {
                Disentangler = disentangler,
                CycleEpochs = p.Int("cycleEpochs", r.CycleEpochs),
                CycleRounds = p.Int("cycleRounds", r.CycleRounds),
                CycleInitialLearningRate = p.Real("cycleLearningRate", r.CycleInitialLearningRate),
                CycleFinalLearningRate = p.Real("cycleFinalLearningRate", r.CycleFinalLearningRate),
            });
        problems.AddRange(p.Problems);
        return settings;
    }
}
