namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>The information discarding of one layer for one input sample, on the sample's pixel grid.</summary>
/// <param name="InputPixels">The sample itself, the mean over channels per pixel, to plot the maps beside.</param>
/// <param name="Ru">RU, or null where no decoder was given.</param>
/// <param name="Saliency">The gradient-saliency baseline: the mean over input units of |∂ Σ_j h_j / ∂x_i|.</param>
public sealed record SampleDiscardingResult(
    PixelGrid Grid, float[] InputPixels, DiscardingMeasurement Sid, DiscardingMeasurement? Ru, double Saliency);
