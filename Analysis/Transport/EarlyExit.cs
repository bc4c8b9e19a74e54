namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// Early-exit inference for multi-label classification (the paper's Algorithm 3). At layer l, with
/// outputs p_l: n_l = #{p_l &gt; s1}, m_l = #{p_l &gt; s2}, ρ_l = m_l / n_l; a sample exits at the first
/// layer with n_l &gt; 0 and ρ_l ≥ ρ, else at the last layer, and takes that layer's label set and scores.
/// s1 = 0.5; s2 and ρ are chosen on a grid over [0.5, 1] by validation accuracy.
/// </summary>
public static class EarlyExit
{
    /// <summary>Where each sample exits and what it predicts there.</summary>
    public sealed record Decisions(int[] ExitLayer, bool[] Predicted, float[] Scores);

    /// <summary>The pair chosen on validation and the accuracy it had there.</summary>
    public sealed record Choice(double S2, double Rho, double ValidationAccuracy);

    /// <param name="layers">Per layer in depth order, row-major [N, K] outputs.</param>
    public static Decisions Decide(IReadOnlyList<float[]> layers, int classCount, bool multiLabel, double s2, double rho)
    {
        var rows = layers[0].Length / classCount;
        var exit = new int[rows];
        var predicted = new bool[rows * classCount];
        var scores = new float[rows * classCount];
        for (var r = 0; r < rows; r++)
        {
            var chosen = layers.Count - 1;
            for (var l = 0; l < layers.Count - 1; l++)
            {
                var p = layers[l].AsSpan(r * classCount, classCount);
                int n = 0, m = 0;
                foreach (var x in p)
                {
                    if (x > MultiLabelMetrics.SetThreshold) n++;
                    if (x > s2) m++;
                }
                if (n > 0 && (double)m / n >= rho)
                {
                    chosen = l;
                    break;
                }
            }
            exit[r] = chosen;
            var row = layers[chosen].AsSpan(r * classCount, classCount);
            row.CopyTo(scores.AsSpan(r * classCount, classCount));
            MultiLabelMetrics.PredictRow(row, predicted.AsSpan(r * classCount, classCount), multiLabel);
        }
        return new Decisions(exit, predicted, scores);
    }

    /// <summary>The grid 0.5, 0.5 + step, ..., 1 (both ends included).</summary>
    public static double[] Grid(double step)
    {
        var count = (int)Math.Round(0.5 / step);
        return Enumerable.Range(0, count + 1).Select(i => Math.Min(1.0, 0.5 + i * step)).Distinct().ToArray();
    }

    /// <summary>
    /// The (s2, ρ) with the best validation accuracy. Ties go to the larger s2, then the larger ρ:
    /// the stricter rule, which exits fewer samples early (s2 = 1 never exits: the last-layer baseline is on the grid).
    /// </summary>
    public static Choice Choose(IReadOnlyList<float[]> validation, float[] targets, int classCount, bool multiLabel, double step)
    {
        Choice? best = null;
        var grid = Grid(step);
        foreach (var s2 in grid.Reverse())
            foreach (var rho in grid.Reverse())
            {
                var accuracy = MultiLabelMetrics.Accuracy(Decide(validation, classCount, multiLabel, s2, rho).Predicted, targets, classCount);
                if (best is null || accuracy > best.ValidationAccuracy) best = new Choice(s2, rho, accuracy);
            }
        return best!;
    }
}
