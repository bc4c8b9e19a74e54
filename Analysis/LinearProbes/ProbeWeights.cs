namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>A trained probe: W (Inputs x Classes, row-major) and b, enough to warm-start the next checkpoint's probe.</summary>
public sealed record ProbeWeights(float[] Weights, float[] Bias, int Inputs, int Classes);
