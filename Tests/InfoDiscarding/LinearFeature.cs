using ProbeGrid.Analysis.InfoDiscarding;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.InfoDiscarding;

/// <summary>h(x) = A x on flat inputs: the case with closed forms. A is given row by row ([outputs][inputs]).</summary>
internal static class LinearFeature
{
    public static FeatureFunction Of(double[,] a)
    {
        var (rows, cols) = (a.GetLength(0), a.GetLength(1));
        var flat = new float[rows * cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
                flat[r * cols + c] = (float)a[r, c];
        var matrix = torch.tensor(flat, [rows, cols]).DetachFromDisposeScope();
        return new FeatureFunction(x => x.matmul(matrix.t()), "Ax");
    }

    /// <summary>||A_{:,i}||² for every column i.</summary>
    public static double[] ColumnNormsSquared(double[,] a) =>
        Enumerable.Range(0, a.GetLength(1)).Select(c => Enumerable.Range(0, a.GetLength(0)).Sum(r => a[r, c] * a[r, c])).ToArray();

    public static Tensor Input(params float[] values) => torch.tensor(values);
}
