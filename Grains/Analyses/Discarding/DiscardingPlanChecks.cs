using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.InfoDiscarding;

namespace ProbeGrid.Grains.Analyses;

/// <summary>The discarding analysis's plan-time checks against the data and the layers.</summary>
internal static class DiscardingPlanChecks
{
    /// <summary>
    /// Samples beyond the test split, and layers the RU decoder cannot reconstruct the input from (it doubles
    /// the feature map at most once a block), one problem each.
    /// </summary>
    public static IEnumerable<string> Problems(DiscardingSettings settings, AnalysisPlanContext context, string path)
    {
        var spec = context.Spec;
        var testCount = context.Models.SplitSizes(spec.Dataset)[2];
        if (settings.SampleOffset + settings.Samples > testCount)
            yield return $"{path}: samples {settings.SampleOffset}..{settings.SampleOffset + settings.Samples - 1} are beyond the test split's {testCount} samples: " +
                         "lower samples or sampleOffset, or enlarge the test split";
        if (!settings.HasRu) yield break;
        var input = ReconstructionDecoder.AsMap(context.Models.SampleShape(spec.Dataset));
        foreach (var layer in context.Layers)
        {
            var problems = ReconstructionDecoder.Problems(ReconstructionDecoder.AsMap(context.TapShapes[layer.Name]), input, settings.Decoder);
            if (problems.Count > 0)
                yield return $"{path}: no RU decoder for layer '{layer.Name}' ({string.Join("; ", problems)}); raise decoderBlocks, or set ru to off";
        }
    }
}
