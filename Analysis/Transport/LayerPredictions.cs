namespace ProbeGrid.Analysis.Transport;

/// <summary>One layer's internal-classifier outputs, row-major [N, K], on the validation and test splits.</summary>
public sealed record LayerPredictions(string Tap, float[] Validation, float[] Test);
