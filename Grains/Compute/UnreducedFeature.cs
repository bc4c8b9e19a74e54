using ProbeGrid.Analysis.Activations;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;

namespace ProbeGrid.Grains.Compute;

/// <summary>
/// A layer's full activations on a split, row-major, with no reduction (a sweep's reduction is for the
/// probes; disentanglers and decoders need the feature map itself). NaN activations are reported as such.
/// </summary>
public static class UnreducedFeature
{
    /// <exception cref="NonFiniteActivationException">The layer produced NaN or infinity (naming the checkpoint's first non-finite parameter).</exception>
    public static float[] Of(TappedModel model, LabeledData split, string layer, int batchSize, CancellationToken ct) =>
        ActivationExtractor.Extract(model, split, [layer], Reduction.Parse(Reduction.Flatten, 0, 0), batchSize, ct).RequireFinite()[layer].Data;
}
