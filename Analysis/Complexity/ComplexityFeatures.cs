namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// A layer's full feature (no reduction) on the sets of <see cref="ComplexitySamples"/>, each row-major
/// [count, ..Shape]: the analysed network's on all three sets, and each reliability peer's on the fit samples
/// (empty <see cref="Peers"/>: no reliability).
/// </summary>
public sealed record ComplexityFeatures(long[] Shape, float[] Fit, float[] Train, float[] Test, IReadOnlyList<ComplexityFeatures.PeerFeature> Peers)
{
    /// <summary>A peer network's feature at the same layer on the fit samples; its channels may differ, its map may not.</summary>
    public sealed record PeerFeature(long[] Shape, float[] Fit);
}
