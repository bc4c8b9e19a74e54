namespace ProbeGrid.Grains.Analyses;

/// <summary>How well the unit's RU decoder reconstructs held-out inputs from the layer's feature.</summary>
/// <param name="ValidationMse">Mean squared error per input value on validation samples.</param>
/// <param name="InputVariance">The same samples' variance per input value: the error of reconstructing every input as the mean input.</param>
/// <param name="Weights">The trained decoder in TorchSharp's module format, for the shards.</param>
public sealed record DecoderFit(double ValidationMse, double InputVariance, IReadOnlyList<double> EpochLoss, ImmutableArray<byte> Weights);
