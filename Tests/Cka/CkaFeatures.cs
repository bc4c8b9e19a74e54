using ProbeGrid.Analysis.Activations;

namespace ProbeGrid.Tests.Cka;

/// <summary>Feature matrices for the CKA tests: seeded Gaussians, an integer LCG numpy reproduces exactly, and transforms CKA ignores.</summary>
internal static class CkaFeatures
{
    public static FeatureMatrix Gaussian(Random random, int rows, int columns)
    {
        var data = new float[rows * columns];
        for (var k = 0; k < data.Length; k++)
            data[k] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return new FeatureMatrix(data, rows, columns);
    }

    /// <summary>
    /// Values k/256 with k in [−1000, 1000] from a 64-bit LCG (Knuth's MMIX constants): exact in float32, so the
    /// numpy reference in <see cref="LinearCkaReferenceTests"/> reproduces them bit for bit.
    /// </summary>
    public static FeatureMatrix Lcg(ulong seed, int rows, int columns)
    {
        var data = new float[rows * columns];
        var state = seed;
        for (var k = 0; k < data.Length; k++)
        {
            state = unchecked(state * 6364136223846793005UL + 1442695040888963407UL);
            data[k] = ((long)((state >> 33) % 2001) - 1000) / 256f;
        }
        return new FeatureMatrix(data, rows, columns);
    }

    /// <summary>y[i, j] = x[i, j mod p] + weight·noise[i, j]: a wider representation that shares x's structure.</summary>
    public static FeatureMatrix Widened(FeatureMatrix x, FeatureMatrix noise, float weight)
    {
        var data = new float[noise.Data.Length];
        for (var i = 0; i < noise.Rows; i++)
            for (var j = 0; j < noise.Columns; j++)
                data[i * noise.Columns + j] = x.Data[i * x.Columns + j % x.Columns] + weight * noise.Data[i * noise.Columns + j];
        return new FeatureMatrix(data, noise.Rows, noise.Columns);
    }

    /// <summary>X Q with Q = I − 2 v vᵀ / vᵀv, a Householder reflection: orthogonal by construction.</summary>
    public static FeatureMatrix Reflected(FeatureMatrix x, double[] v)
    {
        var vv = v.Sum(e => e * e);
        var data = new float[x.Data.Length];
        for (var i = 0; i < x.Rows; i++)
        {
            var row = x.Row(i);
            double xv = 0;
            for (var j = 0; j < x.Columns; j++) xv += row[j] * v[j];
            for (var j = 0; j < x.Columns; j++) data[i * x.Columns + j] = (float)(row[j] - 2 * xv / vv * v[j]);
        }
        return new FeatureMatrix(data, x.Rows, x.Columns);
    }

    /// <summary>a·X + b, the same offset b[j] added to every sample's feature j.</summary>
    public static FeatureMatrix Affine(FeatureMatrix x, float scale, float[] offset)
    {
        var data = new float[x.Data.Length];
        for (var k = 0; k < data.Length; k++) data[k] = scale * x.Data[k] + offset[k % x.Columns];
        return new FeatureMatrix(data, x.Rows, x.Columns);
    }

    public static FeatureMatrix FromRows(float[,] rows)
    {
        var (n, p) = (rows.GetLength(0), rows.GetLength(1));
        var data = new float[n * p];
        for (var i = 0; i < n; i++) for (var j = 0; j < p; j++) data[i * p + j] = rows[i, j];
        return new FeatureMatrix(data, n, p);
    }
}
