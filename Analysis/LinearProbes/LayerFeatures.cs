using ProbeGrid.Analysis.Activations;

namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>The frozen features of one tapped layer on the three splits a probe needs.</summary>
public sealed record LayerFeatures(string Tap, FeatureMatrix Train, FeatureMatrix Validation, FeatureMatrix Test)
{
    public int Dimensions => Train.Columns;
}
