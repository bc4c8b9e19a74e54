namespace ProbeGrid.Analysis.Cka;

/// <summary>
/// CKA values, row-major: entry (i, j) compares representation i of the first set with representation j of the
/// second (or of the same set, for a layer x layer matrix). A value is NaN when a representation is constant
/// (its HSIC with itself is not positive), since CKA divides by it.
/// </summary>
public sealed class SimilarityMatrix
{
    public SimilarityMatrix(int rows, int columns, double[] values, HsicEstimator estimator, int batches, int samples)
    {
        if ((long)rows * columns != values.LongLength)
            throw new ArgumentException($"a {rows} x {columns} similarity matrix needs {(long)rows * columns} values, not {values.LongLength}");
        (Rows, Columns, Values, Estimator, Batches, Samples) = (rows, columns, values, estimator, batches, samples);
    }

    public int Rows { get; }

    public int Columns { get; }

    public double[] Values { get; }

    public HsicEstimator Estimator { get; }

    /// <summary>How many minibatches the HSIC means were taken over (1: the whole set at once).</summary>
    public int Batches { get; }

    /// <summary>Samples seen over all batches.</summary>
    public int Samples { get; }

    public double this[int row, int column] => Values[row * Columns + column];
}
