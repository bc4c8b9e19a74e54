using ProbeGrid.Analysis.Activations;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Cka;

/// <summary>
/// Linear CKA over minibatches of the same samples fed one at a time (Nguyen et al. 2021): it keeps only the running
/// sums of HSIC per compared pair and per representation, so a caller holds one batch of every compared layer, and
/// CKA = mean HSIC(X, Y) / √(mean HSIC(X, X) · mean HSIC(Y, Y)). Each batch centres its own features, builds each
/// layer's centred form once and reuses it for all its pairs. With the biased estimator only one batch is allowed,
/// because its bias depends on the batch size; with one batch both estimators equal the full-set values exactly.
/// </summary>
public sealed class CkaAccumulator
{
    private readonly Comparison comparison;
    private readonly int firstCount;
    private readonly int secondCount;
    private readonly (int First, int Second)[] pairs;
    private readonly double[] selfSums;
    private readonly double[] pairSums;
    private readonly Device device;

    private enum Comparison { Layers, Between, SameLayer }

    private CkaAccumulator(Comparison comparison, int firstCount, int secondCount, HsicEstimator estimator, Device? device)
    {
        if (firstCount < 1 || (comparison != Comparison.Layers && secondCount < 1))
            throw new ArgumentException($"CKA compares at least one representation per set, not {firstCount} and {secondCount}");
        if (comparison == Comparison.SameLayer && firstCount != secondCount)
            throw new ArgumentException($"comparing the same layers needs as many layers in each set, not {firstCount} and {secondCount}");
        (this.comparison, this.firstCount, this.secondCount, Estimator) = (comparison, firstCount, secondCount, estimator);
        this.device = device ?? CPU;
        pairs = comparison switch
        {
            // The upper triangle only: the matrix is mirrored and its diagonal is 1 by definition.
            Comparison.Layers => [.. from i in Enumerable.Range(0, firstCount) from j in Enumerable.Range(i + 1, firstCount - i - 1) select (i, j)],
            Comparison.Between => [.. from i in Enumerable.Range(0, firstCount) from j in Enumerable.Range(0, secondCount) select (i, firstCount + j)],
            _ => [.. Enumerable.Range(0, firstCount).Select(i => (i, firstCount + i))],
        };
        selfSums = new double[firstCount + secondCount];
        pairSums = new double[pairs.Length];
    }

    /// <summary>All pairs of one set of layers (one checkpoint's taps): a symmetric layer x layer matrix.</summary>
    public static CkaAccumulator ForLayers(int layerCount, HsicEstimator estimator, Device? device = null) =>
        new(Comparison.Layers, layerCount, 0, estimator, device);

    /// <summary>Every layer of the first set against every layer of the second (another checkpoint or network).</summary>
    public static CkaAccumulator ForBetween(int firstCount, int secondCount, HsicEstimator estimator, Device? device = null) =>
        new(Comparison.Between, firstCount, secondCount, estimator, device);

    /// <summary>Layer l of the first set against layer l of the second only: a 1 x L result.</summary>
    public static CkaAccumulator ForSameLayers(int layerCount, HsicEstimator estimator, Device? device = null) =>
        new(Comparison.SameLayer, layerCount, layerCount, estimator, device);

    public HsicEstimator Estimator { get; }

    public int Batches { get; private set; }

    public int Samples { get; private set; }

    /// <summary>One batch: the same samples' features in every layer of the first set (and of the second, unless comparing layers of one set).</summary>
    public void Add(IReadOnlyList<FeatureMatrix> first, IReadOnlyList<FeatureMatrix>? second = null) =>
        Add(first, second, 0, first.Count > 0 ? first[0].Rows : 0);

    /// <summary>Rows [firstRow, firstRow + rows) of every matrix as one batch, without copying the rest.</summary>
    internal void Add(IReadOnlyList<FeatureMatrix> first, IReadOnlyList<FeatureMatrix>? second, int firstRow, int rows)
    {
        var layers = Concatenate(first, second);
        CheckBatch(layers, firstRow, rows);
        using var scope = NewDisposeScope();
        var centred = layers.Select(m => CenteredLayer.From(m, firstRow, rows, device)).ToArray();
        for (var k = 0; k < centred.Length; k++) selfSums[k] += Hsic.Estimate(centred[k], centred[k], Estimator);
        for (var k = 0; k < pairs.Length; k++) pairSums[k] += Hsic.Estimate(centred[pairs[k].First], centred[pairs[k].Second], Estimator);
        Batches++;
        Samples += rows;
    }

    /// <summary>CKA from the HSIC sums so far: L x L for layers, first x second between sets, 1 x L for the same layers.</summary>
    public SimilarityMatrix Result()
    {
        if (Batches == 0) throw new InvalidOperationException("CKA needs at least one batch of features; none was added");
        // Means, not sums, although the batch count cancels: the HSIC values stay estimates of the same quantity.
        double Cka(int k, int a, int b) => pairSums[k] / Batches / Math.Sqrt(selfSums[a] / Batches * (selfSums[b] / Batches));
        switch (comparison)
        {
            case Comparison.Layers:
                var matrix = new double[firstCount * firstCount];
                for (var i = 0; i < firstCount; i++) matrix[i * firstCount + i] = selfSums[i] > 0 ? 1.0 : double.NaN;
                for (var k = 0; k < pairs.Length; k++)
                {
                    var (i, j) = pairs[k];
                    matrix[i * firstCount + j] = matrix[j * firstCount + i] = Cka(k, i, j);
                }
                return new SimilarityMatrix(firstCount, firstCount, matrix, Estimator, Batches, Samples);
            case Comparison.Between:
                var between = pairs.Select((pair, k) => Cka(k, pair.First, pair.Second)).ToArray();
                return new SimilarityMatrix(firstCount, secondCount, between, Estimator, Batches, Samples);
            default:
                var same = pairs.Select((pair, k) => Cka(k, pair.First, pair.Second)).ToArray();
                return new SimilarityMatrix(1, firstCount, same, Estimator, Batches, Samples);
        }
    }

    private FeatureMatrix[] Concatenate(IReadOnlyList<FeatureMatrix> first, IReadOnlyList<FeatureMatrix>? second)
    {
        var expected = comparison == Comparison.Layers ? 0 : secondCount;
        if (first.Count != firstCount || (second?.Count ?? 0) != expected)
            throw new ArgumentException($"this CKA was set up for {firstCount} and {expected} representations per batch, not {first.Count} and {second?.Count ?? 0}");
        return [.. first, .. second ?? []];
    }

    private void CheckBatch(FeatureMatrix[] layers, int firstRow, int rows)
    {
        if (Estimator == HsicEstimator.Biased && Batches > 0)
            throw new InvalidOperationException("the biased HSIC takes all samples in one batch: its bias depends on the batch size, so a mean over batches does not estimate CKA; use HsicEstimator.Debiased for minibatches");
        var mismatched = layers.Select((m, k) => (m.Rows, k)).Where(r => r.Rows != layers[0].Rows).ToList();
        if (mismatched.Count > 0)
            throw new ArgumentException($"CKA compares the same samples: representation 0 has {layers[0].Rows} rows but {string.Join(", ", mismatched.Select(r => $"representation {r.k} has {r.Rows}"))}");
        if (firstRow < 0 || rows < 0 || firstRow + rows > layers[0].Rows)
            throw new ArgumentException($"rows {firstRow}..{firstRow + rows} lie outside the {layers[0].Rows} samples");
        var fewest = Hsic.FewestSamples(Estimator);
        if (rows < fewest)
            throw new ArgumentException($"a batch of {rows} samples is too small for the {Estimator} HSIC estimator, which needs at least {fewest}");
    }
}
