namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// Turns probability or 0/1 label rows into label distributions (each row scaled to sum 1), as
/// the paper normalises a classifier's outputs and the ground-truth label vector. A row with no
/// mass (an empty label set, or every output underflowed to 0) has no distribution: it is marked
/// invalid rather than divided by zero.
/// </summary>
public static class LabelDistributions
{
    /// <returns>The normalised rows (invalid rows left as zeros) and which rows are valid.</returns>
    public static (double[] Rows, bool[] Valid) Normalise(ReadOnlySpan<float> rows, int classCount)
    {
        var count = rows.Length / classCount;
        var result = new double[rows.Length];
        var valid = new bool[count];
        for (var r = 0; r < count; r++)
        {
            double sum = 0;
            var finite = true;
            for (var c = 0; c < classCount; c++)
            {
                var x = rows[r * classCount + c];
                if (!float.IsFinite(x) || x < 0) finite = false;
                sum += x;
            }
            if (!finite || !(sum > 0)) continue;
            valid[r] = true;
            for (var c = 0; c < classCount; c++) result[r * classCount + c] = rows[r * classCount + c] / sum;
        }
        return (result, valid);
    }
}
