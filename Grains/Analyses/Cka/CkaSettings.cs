using ProbeGrid.Analysis.Cka;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Analyses;

/// <param name="Samples">the probe set: the first this many inputs of the test split (seeded by the data set's seed).</param>
/// <param name="Options">the HSIC estimator and the minibatch size.</param>
/// <param name="Peer">another network whose layers each checkpoint is compared with (null: none).</param>
[GenerateSerializer, Immutable, Alias("probegrid.settings.cka")]
public sealed record CkaSettings([property: Id(0)] int Samples, [property: Id(1)] CkaOptions Options, [property: Id(2)] CkaPeer? Peer = null) : AnalysisSettings
{
    public override string Kind => CkaAnalysis.Kind;

    public IReadOnlyList<string> Validate() =>
        [.. Options.Validate(), .. Samples < 4 ? [$"samples {Samples} must be at least 4"] : Array.Empty<string>()];
}
