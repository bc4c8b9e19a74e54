using System.Globalization;

namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// The ground cost C_ij = d(i, j)^p between labels: 0/1 by default (then the W-distance of two
/// label distributions is their total variation ½‖μ̂ − μ‖₁), or distances between label
/// embeddings read from a text file (the paper used word2vec vectors).
/// </summary>
public sealed class CostMatrix
{
    private CostMatrix(double[] values, int size)
    {
        Values = values;
        Size = size;
    }

    /// <summary>Row-major [Size, Size].</summary>
    public double[] Values { get; }

    public int Size { get; }

    public double this[int i, int j] => Values[i * Size + j];

    /// <summary>c when the cost is c &gt; 0 off the diagonal and 0 on it (the 0/1 cost, scaled); else null.</summary>
    public double? UniformOffDiagonal()
    {
        var offDiagonal = Size > 1 ? Values[1] : 0;
        if (!(offDiagonal > 0)) return null;
        for (var i = 0; i < Size; i++)
            for (var j = 0; j < Size; j++)
                if (Values[i * Size + j] != (i == j ? 0 : offDiagonal)) return null;
        return offDiagonal;
    }

    public static CostMatrix ZeroOne(int labels)
    {
        var values = new double[labels * labels];
        for (var i = 0; i < labels; i++)
            for (var j = 0; j < labels; j++)
                values[i * labels + j] = i == j ? 0 : 1;
        return new CostMatrix(values, labels);
    }

    /// <exception cref="ArgumentException">Not square, negative, or not finite.</exception>
    public static CostMatrix FromValues(double[] values, int labels)
    {
        if (labels < 1 || values.Length != labels * labels)
            throw new ArgumentException($"a cost matrix over {labels} labels needs {labels * labels} values, not {values.Length}", nameof(values));
        if (values.Any(v => !(v >= 0) || !double.IsFinite(v)))
            throw new ArgumentException("cost matrix entries must be finite and non-negative", nameof(values));
        return new CostMatrix(values, labels);
    }

    /// <summary>C_ij = ‖e_i − e_j‖₂^power between the rows of <paramref name="embeddings"/>.</summary>
    public static CostMatrix FromEmbeddings(IReadOnlyList<double[]> embeddings, double power = 1)
    {
        var n = embeddings.Count;
        var values = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                double squared = 0;
                for (var d = 0; d < embeddings[i].Length; d++)
                {
                    var diff = embeddings[i][d] - embeddings[j][d];
                    squared += diff * diff;
                }
                values[i * n + j] = Math.Pow(Math.Sqrt(squared), power);
            }
        return new CostMatrix(values, n);
    }

    /// <summary>
    /// Reads one embedding per class, a line each in class order, numbers separated by spaces, tabs
    /// or commas; blank lines and lines starting with '#' are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">The file is missing or malformed; the message names the file, the line and the fix.</exception>
    public static CostMatrix FromEmbeddingFile(string path, int classCount, double power = 1)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"label embedding file '{path}' does not exist: give a text file with one line of numbers per class");
        var rows = new List<double[]>();
        var problems = new List<string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var fields = text.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            var row = new double[fields.Length];
            for (var f = 0; f < fields.Length; f++)
                if (!double.TryParse(fields[f], NumberStyles.Float, CultureInfo.InvariantCulture, out row[f]) || !double.IsFinite(row[f]))
                {
                    problems.Add($"line {lineNumber}: '{fields[f]}' is not a finite number");
                    break;
                }
            if (rows.Count > 0 && row.Length != rows[0].Length)
                problems.Add($"line {lineNumber} has {row.Length} numbers but the first embedding has {rows[0].Length}");
            rows.Add(row);
        }
        if (rows.Count != classCount)
            problems.Add($"it has {rows.Count} embeddings but the data set has {classCount} classes: give one line per class, in class order");
        if (problems.Count > 0)
            throw new ArgumentException($"label embedding file '{path}': {string.Join("; ", problems.Take(5))}");
        return FromEmbeddings(rows, power);
    }
}
