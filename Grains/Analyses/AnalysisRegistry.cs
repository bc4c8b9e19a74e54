namespace ProbeGrid.Grains.Analyses;

/// <summary>The analyses this process runs, by kind. Filled from DI (<see cref="AnalysisRegistration"/>); a kind registered twice is refused.</summary>
public sealed class AnalysisRegistry
{
    private readonly Dictionary<string, IGridAnalysis> byKind = new(StringComparer.Ordinal);

    public AnalysisRegistry(IEnumerable<IGridAnalysis> analyses)
    {
        foreach (var analysis in analyses)
            if (!byKind.TryAdd(analysis.Kind, analysis))
                throw new InvalidOperationException($"two analyses are registered as '{analysis.Kind}': {byKind[analysis.Kind].GetType().Name} and {analysis.GetType().Name}");
    }

    /// <summary>The built-in analyses, for code that runs without a silo's services (the CLI's own checks, tests).</summary>
    public static AnalysisRegistry BuiltIn { get; } = new(AnalysisRegistration.BuiltIn());

    /// <summary>The registered analyses, in registration order.</summary>
    public IEnumerable<IGridAnalysis> All => byKind.Values;

    /// <summary>The registered kinds, in registration order.</summary>
    public IReadOnlyList<string> Kinds => [.. byKind.Keys];

    public bool TryGet(string kind, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IGridAnalysis? analysis) => byKind.TryGetValue(kind, out analysis);

    /// <exception cref="InvalidOperationException">no analysis of that kind is registered (the planner refuses such specs first).</exception>
    public IGridAnalysis Get(string kind) => TryGet(kind, out var analysis) ? analysis
        : throw new InvalidOperationException($"analysis '{kind}' is not one this silo runs ({string.Join(", ", Kinds)}): upgrade the silo or remove it from the spec");
}
