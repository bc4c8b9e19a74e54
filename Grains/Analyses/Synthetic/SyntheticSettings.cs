using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Analyses;

/// <param name="DurationMs">how long each unit holds its executor slot.</param>
[GenerateSerializer, Immutable, Alias("probegrid.settings.synthetic")]
public sealed record SyntheticSettings([property: Id(0)] int DurationMs) : AnalysisSettings
{
    public override string Kind => SyntheticAnalysis.Kind;
}
