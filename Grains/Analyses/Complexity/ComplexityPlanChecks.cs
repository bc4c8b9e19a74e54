using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Analyses;

/// <summary>The complexity analysis's plan-time checks against the network: layers a disentangler can mimic, and peers that fit.</summary>
internal static class ComplexityPlanChecks
{
    /// <summary>
    /// The analysis with its reliability peers (checkpoint files) made absolute paths checked against the
    /// data roots and for existence, so every silo opens the files that were checked.
    /// </summary>
    public static AnalysisSpec ResolvePeers(AnalysisSpec analysis, AnalysisPlanContext context, string path, List<string> problems)
    {
        if (!analysis.Parameters.ContainsKey(ComplexityAnalysis.PeersParameter)) return analysis;
        var field = $"{path}.parameters.{ComplexityAnalysis.PeersParameter}";
        var peers = ComplexityAnalysis.Peers(analysis);
        if (peers.IsEmpty) problems.Add($"{field} is empty: list the exemplary networks' checkpoint files, comma-separated, or leave the parameter out");
        var resolved = new List<string>();
        foreach (var peer in peers)
        {
            var file = context.UnderDataRoots(peer, field, "the checkpoint", problems);
            if (file is null) continue;
            if (!File.Exists(file)) problems.Add($"{field}: checkpoint '{peer}' does not exist ({file}): train the peer first, or fix the path");
            resolved.Add(file);
        }
        return analysis with { Parameters = analysis.Parameters.SetItem(ComplexityAnalysis.PeersParameter, string.Join(',', resolved)) };
    }

    /// <summary>Layers a disentangler cannot mimic (not a [C, H, W] map, or larger than the input), one problem per layer.</summary>
    public static IEnumerable<string> DisentanglerProblems(ComplexitySettings settings, AnalysisPlanContext context, string path)
    {
        var spec = context.Spec;
        var sampleShape = context.Models.SampleShape(spec.Dataset);
        foreach (var layer in context.Layers)
        {
            var problems = DisentanglerNet.Problems(settings.Disentangler.Orders[0], settings.Disentangler.Width, sampleShape, context.TapShapes[layer.Name]).ToList();
            if (problems.Count > 0)
                yield return $"{path}: layer '{layer.Name}' cannot be disentangled ({string.Join("; ", problems)}); list convolutional layers in \"layers\"";
        }
    }

    /// <summary>
    /// Peers whose network has no such layer, or whose feature there has another map size than the analysed
    /// network's (the shared trunk's heads are 1x1 convolutions: channels may differ, the map may not).
    /// </summary>
    public static IEnumerable<string> PeerProblems(ComplexitySettings settings, AnalysisPlanContext context, string path)
    {
        var field = $"{path}.parameters.{ComplexityAnalysis.PeersParameter}";
        foreach (var peer in settings.Peers.Where(File.Exists))
        {
            var (peerShapes, problem) = PeerTapShapes(peer, context);
            if (peerShapes is null)
            {
                yield return $"{field}: peer '{peer}': {problem}";
                continue;
            }
            foreach (var layer in context.Layers)
            {
                var shape = context.TapShapes[layer.Name];
                if (!peerShapes.TryGetValue(layer.Name, out var peerShape))
                    yield return $"{field}: peer '{peer}' has no layer '{layer.Name}': peers must have the analysed layers";
                else if (peerShape.Length != 3 || !peerShape.Skip(1).SequenceEqual(shape.Skip(1)))
                    yield return $"{field}: peer '{peer}' has a [{string.Join(", ", peerShape)}] feature at '{layer.Name}' where the analysed network has [{string.Join(", ", shape)}]: the maps must have the same size";
            }
        }
    }

    /// <summary>The tap shapes of a peer's network (see <see cref="PeerModel"/>), or why it has none: an invalid model.json or model.</summary>
    private static (IReadOnlyDictionary<string, long[]>? Shapes, string? Problem) PeerTapShapes(string peer, AnalysisPlanContext context)
    {
        var dataset = context.Spec.Dataset;
        try
        {
            var (peerArchitecture, peerParameters) = PeerModel.Describe(peer, context.Architecture!, context.ModelParameters);
            var sampleShape = context.Models.SampleShape(dataset);
            var modelProblems = context.Models.Architectures.Validate(peerArchitecture, peerParameters, sampleShape, context.Models.TargetShape(dataset));
            return modelProblems.Count > 0
                ? (null, string.Join("; ", modelProblems))
                : (context.Models.TapShapes(peerArchitecture, peerParameters, dataset), null);
        }
        catch (CheckpointException e)
        {
            return (null, e.Message);
        }
    }
}
