using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Tests.Grid.MeanSquare;

/// <param name="Samples">the first this many test samples.</param>
/// <param name="LoseShardSilos">the runner fails the first call of each unit as if its shards' silos were lost every time.</param>
[GenerateSerializer, Immutable, Alias("probegrid.tests.settings.mean-square")]
public sealed record MeanSquareSettings([property: Id(0)] int Samples, [property: Id(1)] bool LoseShardSilos) : AnalysisSettings
{
    public override string Kind => MeanSquareAnalysis.Kind;
}
