using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Analyses;

/// <param name="Classifier">how each layer's probe trains.</param>
/// <param name="WarmStart">each checkpoint's probes start from the previous checkpoint's trained ones.</param>
/// <param name="Optimum">how the optimum is solved for, with optimizer <see cref="ProbeOptions.Optimal"/> (null: the defaults).</param>
[GenerateSerializer, Immutable, Alias("probegrid.settings.probe")]
public sealed record ProbeSettings([property: Id(0)] ProbeOptions Classifier, [property: Id(1)] bool WarmStart, [property: Id(2)] OptimalProbeOptions? Optimum = null)
    : AnalysisSettings
{
    /// <summary>The solver's options: those given, or the defaults.</summary>
    public OptimalProbeOptions OptimumOrDefault => Optimum ?? new OptimalProbeOptions();

    public override string Kind => ProbeAnalysis.Kind;
}
