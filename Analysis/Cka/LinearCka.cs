using ProbeGrid.Analysis.Activations;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Cka;

/// <summary>
/// Linear centred kernel alignment (Kornblith et al. 2019): CKA(X, Y) = HSIC(K, L) / √(HSIC(K, K) · HSIC(L, L)) with
/// K = X Xᵀ and L = Y Yᵀ over the same n samples; with the biased HSIC and centred features that is
/// ||Yᵀ X||²_F / (||Xᵀ X||_F · ||Yᵀ Y||_F). Invariant to orthogonal transforms, isotropic scaling and offsets of either
/// side, not to arbitrary invertible maps. Features are used unreduced, as the activation cache gives them.
/// Memory: the caller holds the feature matrices (managed); on the device each batch of m rows keeps, per compared
/// layer, m·min(p, m) float64s (<see cref="CkaMemory"/>), so <see cref="CkaOptions.MinibatchSize"/> bounds it.
/// </summary>
public static class LinearCka
{
    /// <summary>CKA between two representations of the same samples.</summary>
    public static double Compute(FeatureMatrix x, FeatureMatrix y, CkaOptions? options = null, Device? device = null) =>
        Run(options, e => CkaAccumulator.ForBetween(1, 1, e, device), [x], [y])[0, 0];

    /// <summary>Every pair of one checkpoint's tapped layers: symmetric, diagonal exactly 1 (NaN for a constant layer).</summary>
    public static SimilarityMatrix Layers(IReadOnlyList<FeatureMatrix> layers, CkaOptions? options = null, Device? device = null) =>
        Run(options, e => CkaAccumulator.ForLayers(layers.Count, e, device), layers, null);

    /// <summary>Every layer of the first set against every layer of the second: first.Count x second.Count.</summary>
    public static SimilarityMatrix Between(IReadOnlyList<FeatureMatrix> first, IReadOnlyList<FeatureMatrix> second, CkaOptions? options = null, Device? device = null) =>
        Run(options, e => CkaAccumulator.ForBetween(first.Count, second.Count, e, device), first, second);

    /// <summary>
    /// Layer l of the first set against layer l of the second (the previous checkpoint, the last checkpoint, or
    /// another network's matching layer): how far each layer's representation has moved.
    /// </summary>
    public static double[] SameLayer(IReadOnlyList<FeatureMatrix> first, IReadOnlyList<FeatureMatrix> second, CkaOptions? options = null, Device? device = null) =>
        Run(options, e => CkaAccumulator.ForSameLayers(first.Count, e, device), first, second).Values;

    private static SimilarityMatrix Run(CkaOptions? options, Func<HsicEstimator, CkaAccumulator> create,
        IReadOnlyList<FeatureMatrix> first, IReadOnlyList<FeatureMatrix>? second)
    {
        options ??= new CkaOptions();
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException("CKA options: " + string.Join("; ", problems));
        var accumulator = create(options.Estimator);
        var samples = first.Count > 0 ? first[0].Rows : 0;
        foreach (var (start, rows) in RowBatches.Split(samples, options.MinibatchSize))
            accumulator.Add(first, second, start, rows);
        return accumulator.Result();
    }
}
