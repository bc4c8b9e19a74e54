using ProbeGrid.Analysis.Complexity;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Analyses;

/// <param name="FitSamples">samples the disentanglers learn from: validation samples, then training samples (the authors: 2,000 a epoch).</param>
/// <param name="GameSamples">training samples, and as many test samples, the games are played on.</param>
/// <param name="Shards">Shapley shard grains a unit's coalitions are split over.</param>
/// <param name="Permutations">sampled orders of the players when there are more than <see cref="ExactShapley.MaxPlayers"/>.</param>
/// <param name="Peers">the exemplary networks' checkpoint files (empty: no reliability).</param>
/// <param name="Reliability">the shared-trunk disentanglers' training; its <see cref="ReliabilityOptions.Disentangler"/> is <paramref name="Disentangler"/>.</param>
[GenerateSerializer, Immutable, Alias("probegrid.settings.complexity")]
public sealed record ComplexitySettings(
    [property: Id(0)] DisentanglerOptions Disentangler, [property: Id(1)] int FitSamples, [property: Id(2)] int GameSamples,
    [property: Id(3)] int Shards, [property: Id(4)] int Permutations, [property: Id(5)] ImmutableArray<string> Peers,
    [property: Id(6)] ReliabilityOptions Reliability) : AnalysisSettings
{
    public override string Kind => ComplexityAnalysis.Kind;

    public IReadOnlyList<string> Validate()
    {
        var problems = Reliability.Validate().ToList(); // its disentangler options are Disentangler
        if (FitSamples < 2) problems.Add($"fitSamples {FitSamples} must be at least 2");
        if (GameSamples < 2) problems.Add($"gameSamples {GameSamples} must be at least 2");
        if (Shards is < 1 or > 1024) problems.Add($"shards {Shards} must be from 1 to 1024");
        if (Permutations < 2) problems.Add($"permutations {Permutations} must be at least 2 (a standard error needs two orders)");
        if (Disentangler.Orders.Count > Coalition.MaxPlayers) problems.Add($"{Disentangler.Orders.Count} orders is more than the {Coalition.MaxPlayers} players a game can have");
        return problems;
    }
}
