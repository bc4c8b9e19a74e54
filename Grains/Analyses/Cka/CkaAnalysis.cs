using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Cka;
using ProbeGrid.Analysis.Data;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The "cka" analysis (linear centred kernel alignment, Kornblith et al. 2019): per checkpoint, every tapped layer
/// against every other (<c>cka.with.&lt;layer&gt;</c>), against itself at the previous checkpoint (<c>cka.previous</c>)
/// and at the sweep's last checkpoint (<c>cka.final</c>), and, given a peer network, against every layer of the peer
/// (<c>cka.peer.with.&lt;layer&gt;</c>, the same layer: <c>cka.peer</c>), on the first <c>samples</c> inputs of the test split.
/// </summary>
public sealed class CkaAnalysis : IGridAnalysis
{
    public const string Kind = "cka";

    public const string WithPrefix = "cka.with.";
    public const string Previous = "cka.previous";
    public const string Final = "cka.final";
    public const string Samples = "cka.samples";
    public const string Batches = "cka.batches";
    public const string Debiased = "cka.debiased";
    public const string Peer = "cka.peer";
    public const string PeerWithPrefix = "cka.peer.with.";

    /// <summary>The folder of another run's checkpoints (the same data), whose layers each checkpoint is compared with.</summary>
    public const string PeerParameter = "peer";

    public static readonly IReadOnlyList<string> ParameterNames = ["samples", "estimator", "minibatchSize", PeerParameter];

    string IGridAnalysis.Kind => Kind;

    bool IGridAnalysis.NeedsClasses => false;

    bool IGridAnalysis.HasMaps => false;

    /// <summary>CKA to the last checkpoint vs checkpoint, one line per layer: how far and how fast each layer moves.</summary>
    AnalysisPlots IGridAnalysis.Plots { get; } = AnalysisPlots.CurvesOf(Final, Previous, Peer) with { LayerMatrices = [WithPrefix, PeerWithPrefix] };

    /// <summary>The parameters; then the probe set against the test split, and the reduction (pooling changes what inner products mean).</summary>
    AnalysisSettings? IGridAnalysis.ReadSettings(AnalysisSpec spec, AnalysisPlanContext context, string path, List<string> problems)
    {
        var before = problems.Count;
        var settings = AnalysisParameters.Settle(path, problems, found => Read(spec, path, found), s => s.Validate());
        if (context.Spec.Reduction.Kind is Reduction.SpatialMean or Reduction.PooledProjection)
            problems.Add($"{path}: reduction '{context.Spec.Reduction.Kind}' averages the maps, and CKA of pooled features measures something else: use '{Reduction.Flatten}' " +
                         $"(exact), or '{Reduction.SparseProjection}' or '{Reduction.RandomProjection}' (inner products kept approximately)");
        if (spec.Parameters.TryGetValue(PeerParameter, out var peerFolder) && settings is not null)
            settings = settings with { Peer = CkaPeerPlanning.Resolve(peerFolder, context, path, problems) };
        if (settings is not null && context.DatasetValid)
        {
            var testCount = context.Models.SplitSizes(context.Spec.Dataset)[2];
            if (settings.Samples > testCount)
                problems.Add($"{path}.parameters.samples {settings.Samples} is more than the test split's {testCount} samples: lower samples, or enlarge the test split");
        }
        return problems.Count > before ? null : settings;
    }

    string? IGridAnalysis.NeedsEveryCheckpoint => $"it compares every checkpoint with the sweep's last one ({Final})";

    bool IGridAnalysis.FollowsPreviousCheckpoint(AnalysisSettings settings) => false;

    IAnalysisRunner IGridAnalysis.CreateRunner(AnalysisRunContext context, AnalysisSettings settings) => new CkaRunner(context, (CkaSettings)settings);

    /// <summary>The unit's metrics; its layer must have had finite activations at this checkpoint.</summary>
    public static ImmutableArray<MetricValue> Metrics(CkaJob.Result result, CheckpointRef checkpoint, LayerRef layer, int repeat)
    {
        if (result.NonFinite.TryGetValue(layer.Name, out var nonFinite)) throw new NonFiniteActivationException(nonFinite);
        var metrics = new UnitMetrics(checkpoint, layer, repeat);
        var row = result.Layers.IndexOf(layer.Name);
        for (var other = 0; other < result.Layers.Length; other++)
            metrics.AddFinite(WithPrefix + result.Layers[other], result.Matrix[row, other]);
        if (result.Previous is { } previous) metrics.AddFinite(Previous, previous[row]);
        if (result.Final is { } final) metrics.AddFinite(Final, final[row]);
        if (result.Peer is { } peer)
        {
            for (var column = 0; column < result.PeerLayers.Length; column++)
            {
                metrics.AddFinite(PeerWithPrefix + result.PeerLayers[column], peer[row, column]);
                if (result.PeerLayers[column] == layer.Name) metrics.AddFinite(Peer, peer[row, column]);
            }
        }
        metrics.Add(Samples, result.Matrix.Samples);
        metrics.Add(Batches, result.Matrix.Batches);
        metrics.Add(Debiased, result.Matrix.Estimator == HsicEstimator.Debiased ? 1 : 0);
        return metrics.ToImmutable();
    }

    private static CkaSettings Read(AnalysisSpec spec, string path, List<string> problems)
    {
        var p = new AnalysisParameters(spec, path, ParameterNames);
        var estimatorText = p.Text("estimator", "biased");
        if (!Enum.TryParse<HsicEstimator>(estimatorText, ignoreCase: true, out var estimator) || !Enum.IsDefined(estimator))
        {
            p.Problems.Add($"{path}.parameters.estimator '{estimatorText}' is not an estimator: use biased or debiased");
            estimator = HsicEstimator.Biased;
        }
        var settings = new CkaSettings(p.Int("samples", 1000), new CkaOptions { Estimator = estimator, MinibatchSize = p.Int("minibatchSize", 0) });
        problems.AddRange(p.Problems);
        return settings;
    }
}
