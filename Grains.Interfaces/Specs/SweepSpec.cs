using System.Collections.Immutable;

namespace ProbeGrid.GrainsInterfaces.Specs;

/// <summary>
/// What a researcher asks for: run these analyses at these layers of every checkpoint of this
/// model, on this data. Read from JSON by <see cref="SweepSpecReader"/>; every field has the
/// paper's default where the spec leaves it out.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SweepSpec(
    [property: Id(0)] string? SweepId,
    [property: Id(1)] ModelSpec Model,
    [property: Id(2)] DatasetSpec Dataset,
    [property: Id(3)] ImmutableArray<string> Layers,
    [property: Id(4)] ReductionSpec Reduction,
    [property: Id(5)] ImmutableArray<AnalysisSpec> Analyses,
    [property: Id(6)] ResourceSpec Resources,
    [property: Id(7)] int Repeats)
{
    /// <summary>
    /// Set when the sweep follows a training run (<c>"follow"</c> in the spec, or <c>--follow</c>); null for a sweep planned
    /// once. Left out of JSON when null, so the fingerprints of specs stored before it existed stay the same.
    /// </summary>
    [Id(8)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public FollowSpec? Follow { get; init; }

    /// <summary>True when the spec asks for every tap of the model.</summary>
    public bool AllLayers => Layers.IsDefaultOrEmpty || Layers.Contains("*");
}
