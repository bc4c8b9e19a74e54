using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.GrainsInterfaces.InfoDiscarding;
using ProbeGrid.GrainsInterfaces.Results;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.GrainsInterfaces.Sweeps;
using static ProbeGrid.GrainsInterfaces.Results.MetricNames;

namespace ProbeGrid.Grains.Analyses;

/// <summary>
/// The "discarding" analysis of a sweep spec (layerwise information discarding: SID, RU, concentration):
/// reads σ-learning's, the samples' and the RU decoder's parameters, with defaults that fit a CPU, and
/// turns a unit's per-sample results into metric values (means with their spread) and per-pixel maps.
/// </summary>
public sealed class DiscardingAnalysis : IGridAnalysis
{
    public const string Kind = "discarding";

    string IGridAnalysis.Kind => Kind;

    bool IGridAnalysis.NeedsClasses => false;

    bool IGridAnalysis.HasMaps => true;

    AnalysisPlots IGridAnalysis.Plots { get; } = AnalysisPlots.CurvesOf(SidTotal, RuTotal, SidConcentration, RuConcentration);

    /// <summary>The parameters, then (when they are valid and the layers known) the samples and the RU decoder against the data and layers.</summary>
    AnalysisSettings? IGridAnalysis.ReadSettings(AnalysisSpec spec, AnalysisPlanContext context, string path, List<string> problems)
    {
        var settings = ReadSettings(spec, path, problems);
        if (settings is null || context.Layers.IsEmpty) return settings;
        var mismatches = DiscardingPlanChecks.Problems(settings, context, path).ToList();
        problems.AddRange(mismatches);
        return mismatches.Count == 0 ? settings : null;
    }

    bool IGridAnalysis.FollowsPreviousCheckpoint(AnalysisSettings settings) => false;

    IAnalysisRunner IGridAnalysis.CreateRunner(AnalysisRunContext context, AnalysisSettings settings) => new DiscardingRunner(context, (DiscardingSettings)settings);

    /// <summary>RU learns its own σ (the paper's Eq. 12), measures Ĥ at SID's σ (half the cost), or is not run.</summary>
    public const string RuLearn = "learn", RuAtSidSigma = "sid", RuOff = "off";

    public static readonly IReadOnlyList<string> RuModes = [RuLearn, RuAtSidSigma, RuOff];

    public static readonly IReadOnlyList<string> ParameterNames =
    [
        "samples", "sampleOffset", "shards", "maps", "ru",
        "tau", "alpha", "ratioTolerance", "maxRounds", "initialLambda", "normalisingSamples", "evaluationSamples",
        "noiseBatch", "stepsPerRound", "learningRate", "finalLearningRate", "sigmaCap", "chunk", "seed",
        "decoderSamples", "decoderBlocks", "decoderWidth", "decoderEpochs", "decoderBatchSize", "decoderLearningRate", "decoderFinalLearningRate",
    ];

    /// <summary>
    /// The paper's α and τ; σ-learning, decoder and sample counts cut to fit a CPU (8 samples, a decoder of
    /// width 32 trained 10 epochs on 2,000 images; the paper's decoder width is not given).
    /// </summary>
    public static DiscardingSettings Defaults { get; } =
        new(Samples: 8, SampleOffset: 0, Shards: 4, Maps: 4, RuLearn, new InfoDiscardingOptions(), DecoderSamples: 2000,
            new DecoderOptions { Width = 32, Epochs = 10 });

    /// <summary>The settings, or null with every problem added, each naming the field and the fix.</summary>
    public static DiscardingSettings? ReadSettings(AnalysisSpec spec, string path, List<string> problems) =>
        AnalysisParameters.Settle(path, problems, found => Read(spec, path, found), s => s.Validate());

    /// <summary>σ-learning's options for one sample: its own seed, so its result does not depend on the shard it ran in.</summary>
    public static InfoDiscardingOptions ForSample(DiscardingSettings settings, int sample) =>
        settings.Sigma with { Seed = settings.Sigma.Seed + 7919L * sample };

    public static ImmutableArray<MetricValue> Metrics(DiscardingResult result, CheckpointRef checkpoint, LayerRef layer, int repeat)
    {
        var metrics = new UnitMetrics(checkpoint, layer, repeat);
        void Measures(IReadOnlyList<DiscardingMeasure> all, string total, string totalStd, string concentration, string concentrationStd,
            string lambda, string ratio, string capped, string unconverged, string? deltaF2)
        {
            if (all.Count == 0) return;
            metrics.AddFinite(total, all.Average(m => m.Total));
            metrics.AddFinite(totalStd, SampleStd(all.Select(m => m.Total).ToList()));
            var concentrations = all.Where(m => m.Concentration is not null).Select(m => m.Concentration!.Value).ToList();
            if (concentrations.Count > 0)
            {
                metrics.AddFinite(concentration, concentrations.Average());
                metrics.AddFinite(concentrationStd, SampleStd(concentrations));
            }
            metrics.AddFinite(lambda, all.Average(m => m.Lambda));
            metrics.AddFinite(ratio, all.Average(m => m.Ratio));
            metrics.AddFinite(capped, all.Average(m => m.Capped));
            metrics.AddFinite(unconverged, all.Count(m => !m.Converged));
            if (deltaF2 is not null) metrics.AddFinite(deltaF2, all.Average(m => m.DeltaF2));
        }

        var samples = result.Samples;
        Measures(samples.Select(s => s.Sid).ToList(), SidTotal, SidTotalStd, SidConcentration, SidConcentrationStd, SidLambda, SidRatio, SidCapped, SidUnconverged, SidDeltaF2);
        Measures(samples.Where(s => s.Ru is not null).Select(s => s.Ru!).ToList(), RuTotal, RuTotalStd, RuConcentration, RuConcentrationStd, RuLambda, RuRatio, RuCapped, RuUnconverged, null);
        if (result.Decoder is { } decoder)
        {
            metrics.AddFinite(RuDecoderMse, decoder.ValidationMse);
            metrics.AddFinite(RuInputVariance, decoder.InputVariance);
        }
        metrics.AddFinite(SaliencyMean, samples.Average(s => s.Saliency));
        metrics.AddFinite(DiscardingSamples, samples.Length);
        metrics.AddFinite(DiscardingShards, result.Shards);
        return metrics.ToImmutable();
    }

    /// <summary>The input, SID and RU maps of the first <paramref name="keep"/> samples.</summary>
    public static ImmutableArray<PixelMap> Maps(DiscardingResult result, CheckpointRef checkpoint, LayerRef layer, int repeat, int keep)
    {
        var maps = ImmutableArray.CreateBuilder<PixelMap>();
        foreach (var s in result.Samples.OrderBy(s => s.Sample).Take(keep))
        {
            PixelMap Map(string kind, ImmutableArray<float> values) =>
                new(checkpoint.Name, checkpoint.Step, layer.Name, layer.Index, repeat, s.Sample, s.Label, kind, s.Height, s.Width, values);
            maps.Add(Map(PixelMap.InputKind, s.Input));
            maps.Add(Map(PixelMap.SidKind, s.Sid.Pixels));
            if (s.Ru is { } ru) maps.Add(Map(PixelMap.RuKind, ru.Pixels));
        }
        return maps.ToImmutable();
    }

    /// <summary>The standard deviation with Bessel's correction; NaN (no point) for a single sample.</summary>
    private static double SampleStd(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return double.NaN;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    private static DiscardingSettings Read(AnalysisSpec spec, string path, List<string> problems)
    {
        var p = new AnalysisParameters(spec, path, ParameterNames);
        var s = Defaults.Sigma;
        double? initialLambda = null;
        if (p.OptionalText("initialLambda") is not null) initialLambda = p.Real("initialLambda", double.NaN);
        var sigma = s with
        {
            Tau = p.Real("tau", s.Tau),
            Alpha = p.Real("alpha", s.Alpha),
            RatioTolerance = p.Real("ratioTolerance", s.RatioTolerance),
            MaxRounds = p.Int("maxRounds", s.MaxRounds),
            InitialLambda = initialLambda is { } l && double.IsNaN(l) ? null : initialLambda,
            NormalisingSamples = p.Int("normalisingSamples", s.NormalisingSamples),
            EvaluationSamples = p.Int("evaluationSamples", s.EvaluationSamples),
            NoiseBatch = p.Int("noiseBatch", s.NoiseBatch),
            StepsPerRound = p.Int("stepsPerRound", s.StepsPerRound),
            LearningRate = p.Real("learningRate", s.LearningRate),
            FinalLearningRate = p.Real("finalLearningRate", s.FinalLearningRate),
            SigmaCap = p.Real("sigmaCap", s.SigmaCap),
            Chunk = p.Int("chunk", s.Chunk),
            Seed = p.Long("seed", s.Seed),
        };
        var d = Defaults.Decoder;
        var decoder = d with
        {
            Blocks = p.Int("decoderBlocks", d.Blocks),
            Width = p.Int("decoderWidth", d.Width),
            Epochs = p.Int("decoderEpochs", d.Epochs),
            BatchSize = p.Int("decoderBatchSize", d.BatchSize),
            InitialLearningRate = p.Real("decoderLearningRate", d.InitialLearningRate),
            FinalLearningRate = p.Real("decoderFinalLearningRate", d.FinalLearningRate),
            Seed = sigma.Seed,
        };
        var settings = new DiscardingSettings(
            p.Int("samples", Defaults.Samples),
            p.Int("sampleOffset", Defaults.SampleOffset),
            p.Int("shards", Defaults.Shards),
            p.Int("maps", Defaults.Maps),
            p.Text("ru", Defaults.Ru),
            sigma,
            p.Int("decoderSamples", Defaults.DecoderSamples),
            decoder);
        problems.AddRange(p.Problems);
        return settings;
    }
}
