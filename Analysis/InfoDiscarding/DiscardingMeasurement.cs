namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// One metric (SID or RU) of one sample, drawn on its pixel grid: the layer's total over input units, the map of
/// the channels' mean per pixel, and that map's concentration on the object where the data mark it.
/// </summary>
/// <param name="Total">Layer SID H = Σ_i H_i, or RU Σ_i Ĥ_i, over every input unit (not the map's pixels).</param>
/// <param name="Concentration">E_{i∉Λ} H_i − E_{i∈Λ} H_i on the map; null without an object mask.</param>
/// <param name="Lambda">The λ σ was learned at; NaN for RU measured at SID's σ.</param>
/// <param name="Capped">Input units whose σ stopped at the cap (their H_i is a lower bound).</param>
/// <param name="Pixels">H_i per pixel, the mean over channels, row-major.</param>
public sealed record DiscardingMeasurement(
    double Total, double? Concentration, double DeltaF2, double Lambda, double Ratio, bool Converged, int Capped, double[] Pixels)
{
    /// <param name="objectMask">One flag per pixel of <paramref name="grid"/>, true on the object; null where the data mark none.</param>
    public static DiscardingMeasurement OfSid(SidResult sid, PixelGrid grid, IReadOnlyList<bool>? objectMask) =>
        Of(sid.PixelEntropy, sid.LayerEntropy, sid.DeltaF2, sid.Lambda, sid.Ratio, sid.Converged, sid.CappedCount, grid, objectMask);

    public static DiscardingMeasurement OfRu(RuResult ru, PixelGrid grid, IReadOnlyList<bool>? objectMask) =>
        Of(ru.PixelUncertainty, ru.LayerUncertainty, ru.DeltaF2, ru.Lambda, ru.Ratio, ru.Converged, ru.CappedCount, grid, objectMask);

    private static DiscardingMeasurement Of(double[] perUnit, double total, double deltaF2, double lambda, double ratio, bool converged, int capped,
        PixelGrid grid, IReadOnlyList<bool>? objectMask)
    {
        var pixels = grid.ChannelMean(perUnit);
        double? concentration = objectMask is null ? null : InfoDiscarding.Concentration.Of(pixels, objectMask);
        return new DiscardingMeasurement(total, concentration, deltaF2, lambda, ratio, converged, capped, pixels);
    }
}
