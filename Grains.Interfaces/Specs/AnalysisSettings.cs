namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>
/// One analysis's parameters read, resolved and validated once, at plan time. Each analysis derives its own
/// record (in its folder under Grains/Analyses); the plan carries them, and units and shards receive them as they are.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record AnalysisSettings
{
    /// <summary>The analysis these settings belong to (the spec's <c>"kind"</c>).</summary>
    public abstract string Kind { get; }
}
