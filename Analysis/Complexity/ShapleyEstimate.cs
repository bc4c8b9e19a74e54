namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// Each player's Shapley value; for a sampled estimate also its standard error (the spread of the
/// player's marginal contributions over the sampled orders / √orders); exact values have zero error.
/// </summary>
public sealed record ShapleyEstimate(double[] Values, double[] StandardErrors, bool Exact, int Permutations)
{
    public int Players => Values.Length;
}
