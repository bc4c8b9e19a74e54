using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// The paper's per-sample pipeline for one layer: SID's σ learned through h, RU with the decoder g, both as
/// per-pixel maps with their concentration on the object, and the gradient-saliency baseline they are contrasted with.
/// </summary>
public static class SampleDiscardingPipeline
{
    /// <param name="h">The layer's feature, deterministic (eval mode).</param>
    /// <param name="g">The RU decoder, a batch of features to reconstructed inputs; null measures SID alone.</param>
    /// <param name="input">The sample's values, row-major in <paramref name="inputShape"/> (no batch dimension).</param>
    /// <param name="objectMask">One flag per pixel, true on the object; null where the data mark none (no concentration).</param>
    /// <param name="options">σ-learning's options, seed included: the caller gives each sample its own.</param>
    /// <param name="ruAtSidSigma">RU measures Ĥ at SID's σ (half the cost) instead of learning its own (the paper's Eq. 12).</param>
    /// <remarks>Runs synchronously on the calling thread; every tensor it makes goes with its own dispose scope.</remarks>
    public static SampleDiscardingResult Measure(
        FeatureFunction h, Func<Tensor, Tensor>? g, float[] input, long[] inputShape, IReadOnlyList<bool>? objectMask,
        InfoDiscardingOptions options, bool ruAtSidSigma, Device device, CancellationToken ct)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(input, inputShape, device: device);
        var grid = PixelGrid.Of(inputShape);

        var sid = StrictInformationDiscarding.Estimate(h, x, options, ct);
        var sidMeasurement = DiscardingMeasurement.OfSid(sid, grid, objectMask);
        DiscardingMeasurement? ruMeasurement = null;
        if (g is not null)
        {
            var ru = ruAtSidSigma
                ? ReconstructionUncertainty.AtSigma(h, g, x, sid.Sigma, options)
                : ReconstructionUncertainty.Estimate(h, g, x, options, ct);
            ruMeasurement = DiscardingMeasurement.OfRu(ru, grid, objectMask);
        }
        var saliency = GradientSaliency.OfInput(h, x).Average(v => (double)v);
        return new SampleDiscardingResult(grid, grid.ChannelMean(input), sidMeasurement, ruMeasurement, saliency);
    }
}
