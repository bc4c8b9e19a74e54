using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Client.Queries;

/// <summary>Which per-pixel maps `probegrid maps` and the web API return, with the same checks and messages.</summary>
public static class MapSelection
{
    public static readonly IReadOnlyList<string> MapKinds = [PixelMap.SidKind, PixelMap.RuKind];

    /// <summary>
    /// The maps asked for, with the inputs drawn beside them: <paramref name="maps"/> (all of a sweep's) filtered by
    /// checkpoint, layer, sample and kind (none given: all; kinds none given: sid and ru). A filter value the sweep
    /// has no maps for is a problem naming the values it has; a sweep without maps is one naming the analysis that makes them.
    /// <paramref name="option"/> names a filter as the caller shows it (<c>--layer</c>, <c>layer</c>).
    /// </summary>
    public static IReadOnlyList<PixelMap> Select(string sweepId, IReadOnlyList<PixelMap> maps,
        IReadOnlyCollection<string> checkpoints, IReadOnlyCollection<string> layers, IReadOnlyCollection<int> samples,
        IReadOnlyCollection<string> kinds, List<string> problems, Func<string, string> option)
    {
        if (maps.Count == 0)
        {
            problems.Add($"sweep '{sweepId}' has no per-pixel maps (yet): only the `discarding` analysis keeps them, for its first `maps` samples (default 4); "
                         + "add one to the spec, or wait until its units finish (`probegrid status`)");
            return [];
        }
        void Unknown<T>(string name, IEnumerable<T> asked, IEnumerable<T> known, string hint = "")
        {
            var have = known.Distinct().Order().ToList();
            foreach (var value in asked.Where(a => !have.Contains(a)))
                problems.Add($"{option(name)} '{value}': sweep '{sweepId}' has no maps there; it has maps for {string.Join(", ", have)}{hint}");
        }
        Unknown("checkpoint", checkpoints, maps.Select(m => m.Checkpoint));
        Unknown("layer", layers, maps.Select(m => m.Layer));
        Unknown("sample", samples, maps.Select(m => m.Sample), " (the discarding parameter `maps` sets how many samples keep maps)");
        Unknown("kind", kinds, maps.Select(m => m.Kind).Where(k => k != PixelMap.InputKind), " (RU maps need the discarding parameter `ru` other than 'off')");
        if (problems.Count > 0) return [];

        var wanted = kinds.Count > 0 ? kinds : MapKinds;
        return maps.Where(m => (checkpoints.Count == 0 || checkpoints.Contains(m.Checkpoint))
                               && (layers.Count == 0 || layers.Contains(m.Layer))
                               && (samples.Count == 0 || samples.Contains(m.Sample))
                               && (m.Kind == PixelMap.InputKind || wanted.Contains(m.Kind)))
            .ToList();
    }
}
