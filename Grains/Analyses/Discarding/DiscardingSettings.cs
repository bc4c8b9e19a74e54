using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Analyses;

/// <param name="Samples">test-split samples each unit measures (the paper's results are means over inputs).</param>
/// <param name="SampleOffset">index of the first of them in the test split.</param>
/// <param name="Shards">discarding shard grains a unit's samples are split over.</param>
/// <param name="Maps">samples (the first ones) whose per-pixel maps the unit keeps.</param>
/// <param name="Ru">one of <see cref="DiscardingAnalysis.RuModes"/>.</param>
/// <param name="DecoderSamples">training samples the RU decoder learns from (and as many validation samples, at most, it is scored on).</param>
[GenerateSerializer, Immutable, Alias("probegrid.settings.discarding")]
public sealed record DiscardingSettings(
    [property: Id(0)] int Samples, [property: Id(1)] int SampleOffset, [property: Id(2)] int Shards, [property: Id(3)] int Maps,
    [property: Id(4)] string Ru, [property: Id(5)] InfoDiscardingOptions Sigma, [property: Id(6)] int DecoderSamples,
    [property: Id(7)] DecoderOptions Decoder) : AnalysisSettings
{
    public override string Kind => DiscardingAnalysis.Kind;

    public bool HasRu => Ru != DiscardingAnalysis.RuOff;

    public IReadOnlyList<string> Validate()
    {
        var problems = Sigma.Validate().ToList();
        if (HasRu) problems.AddRange(Decoder.Validate().Select(p => "decoder " + p));
        if (Samples < 1) problems.Add($"samples {Samples} must be at least 1");
        if (SampleOffset < 0) problems.Add($"sampleOffset {SampleOffset} must not be negative");
        if (Shards is < 1 or > 1024) problems.Add($"shards {Shards} must be from 1 to 1024");
        if (Maps < 0) problems.Add($"maps {Maps} must not be negative (0 keeps none)");
        if (!DiscardingAnalysis.RuModes.Contains(Ru)) problems.Add($"ru '{Ru}' must be one of {string.Join(", ", DiscardingAnalysis.RuModes)}");
        if (HasRu && DecoderSamples < 2) problems.Add($"decoderSamples {DecoderSamples} must be at least 2");
        return problems;
    }
}
