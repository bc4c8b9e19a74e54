namespace ProbeGrid.GrainsInterfaces.InfoDiscarding;

/// <summary>
/// The information discarding of one layer for one input sample: SID, and RU where the unit has a decoder.
/// Maps are per pixel (row-major over the input's height x width, the mean over channels).
/// </summary>
/// <param name="Sample">Index in the test split.</param>
/// <param name="Label">The sample's class (-1 where the data set has none).</param>
/// <param name="Input">The sample's pixels (mean over channels), for plotting the maps beside it.</param>
/// <param name="Saliency">The gradient-saliency baseline: the mean over input units of |∂ Σ_j f_j / ∂x_i|. Unlike SID and RU it scales with the feature.</param>
[GenerateSerializer, Immutable]
public sealed record SampleDiscarding(
    [property: Id(0)] int Sample,
    [property: Id(1)] long Label,
    [property: Id(2)] int Height,
    [property: Id(3)] int Width,
    [property: Id(4)] ImmutableArray<float> Input,
    [property: Id(5)] DiscardingMeasure Sid,
    [property: Id(6)] DiscardingMeasure? Ru,
    [property: Id(7)] double Saliency);
