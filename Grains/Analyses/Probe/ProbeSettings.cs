using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Analyses;

/// <param name="Classifier">how each layer's probe trains.</param>
/// <param name="WarmStart">each checkpoint's probes start from the previous checkpoint's trained ones.</param>
[GenerateSerializer, Immutable, Alias("probegrid.settings.probe")]
public sealed record ProbeSettings([property: Id(0)] ProbeOptions Classifier, [property: Id(1)] bool WarmStart) : AnalysisSettings
{
    public override string Kind => ProbeAnalysis.Kind;
}
