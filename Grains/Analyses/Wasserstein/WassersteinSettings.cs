using ProbeGrid.Analysis.LinearProbes;
using ProbeGrid.Analysis.Transport;
using ProbeGrid.GrainsInterfaces.Specs;

namespace ProbeGrid.Grains.Analyses;

/// <param name="Classifier">how each layer's internal classifier trains.</param>
/// <param name="Transport">the Sinkhorn and early-exit options; its cost matrix comes from <paramref name="CostFile"/> when one is named.</param>
/// <param name="CostFile">the class embeddings, as the absolute path checked against the data roots; null: the 0/1 cost.</param>
/// <param name="CostPower">C_ij = d(i, j)^CostPower between the embeddings.</param>
/// <param name="Standardize">the classifiers train on features standardised with the training split's mean and scale (the same affine
/// family; only the optimisation's conditioning changes), so one learning rate suits taps of any magnitude.</param>
[GenerateSerializer, Immutable, Alias("probegrid.settings.wasserstein")]
public sealed record WassersteinSettings(
    [property: Id(0)] ProbeOptions Classifier,
    [property: Id(1)] WassersteinOptions Transport,
    [property: Id(2)] string? CostFile,
    [property: Id(3)] double CostPower,
    [property: Id(4)] bool Standardize = false) : AnalysisSettings
{
    public override string Kind => WassersteinAnalysis.Kind;

    /// <summary>The transport options with the cost file's matrix, read here: call it on the executor (it reads a file).</summary>
    public WassersteinOptions TransportFor(int classCount) =>
        CostFile is null ? Transport : Transport with { Cost = CostMatrix.FromEmbeddingFile(CostFile, classCount, CostPower) };
}
