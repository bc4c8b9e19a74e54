namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// The paper's per-sample kinds, counted at each layer l with a threshold θ on the sample's
/// W-distance ("small" is ≤ θ): easy = small at l and small at the last layer; confused = small
/// at l but large at the last layer (right early, wrong at the end: what early exit can rescue);
/// hard = large at l and large at the last layer (not resolved at all). The fourth case, large
/// at l and small at the end, is the ordinary one of a sample resolved deeper.
/// </summary>
public static class SampleKinds
{
    public sealed record Counts(int Easy, int Confused, int Hard, int Samples);

    /// <param name="distances">Per layer in depth order, each sample's W-distance.</param>
    /// <param name="valid">Per layer, whether the sample has a distance there (see <see cref="LabelDistributions"/>).</param>
    public static IReadOnlyList<Counts> Count(IReadOnlyList<double[]> distances, IReadOnlyList<bool[]> valid, double threshold)
    {
        var last = distances.Count - 1;
        return distances.Select((layer, l) =>
        {
            int easy = 0, confused = 0, hard = 0, samples = 0;
            for (var s = 0; s < layer.Length; s++)
            {
                if (!valid[l][s] || !valid[last][s]) continue;
                samples++;
                bool smallHere = layer[s] <= threshold, smallAtEnd = distances[last][s] <= threshold;
                if (smallHere && smallAtEnd) easy++;
                else if (smallHere) confused++;
                else if (!smallAtEnd) hard++;
            }
            return new Counts(easy, confused, hard, samples);
        }).ToList();
    }
}
