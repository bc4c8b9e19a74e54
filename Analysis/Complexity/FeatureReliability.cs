namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// The reliability of a feature's components (paper section 3.2): ρ_reliable^(l) = Var[Φ_reliable^(l)] / Var[Φ^(l)],
/// the share of the order-l disentangler's output Φ^(l) of network 0 that the other networks learn too.
/// Φ_reliable^(l) comes from <see cref="ReliabilityTrainer"/>, Φ^(l) from <see cref="DisentanglerTrainer"/>, on the
/// same samples; Var is <see cref="FeatureComponents.Variance"/>.
/// </summary>
public static class FeatureReliability
{
    /// <param name="reliable">Φ_reliable^(l), row-major [samples, dimensions].</param>
    /// <param name="mimic">Φ^(l), the same shape.</param>
    /// <exception cref="ArgumentException">Shapes that differ, too few samples, or values that are not finite.</exception>
    public static double Ratio(float[] reliable, float[] mimic, int samples)
    {
        var problems = new List<string>();
        if (samples < 2 || mimic.Length % samples != 0) problems.Add($"{mimic.Length} values of Φ^(l) do not make rows of {samples} samples (at least 2)");
        if (reliable.Length != mimic.Length) problems.Add($"Φ_reliable has {reliable.Length} values but Φ^(l) has {mimic.Length}: evaluate both on the same samples of network 0's feature");
        if (reliable.Any(v => !float.IsFinite(v)) || mimic.Any(v => !float.IsFinite(v))) problems.Add("NaN or infinite values: a net diverged; lower its learning rate");
        if (problems.Count > 0) throw new ArgumentException("reliability ratio: " + string.Join("; ", problems));
        var dimensions = mimic.Length / samples;
        var total = FeatureComponents.Variance(mimic, samples, dimensions);
        return total > 0 ? FeatureComponents.Variance(reliable, samples, dimensions) / total : 0;
    }

    /// <summary>ρ_reliable^(l) for each order both lists have, on the sample set named <paramref name="set"/>.</summary>
    /// <exception cref="ArgumentException">An order or the set is missing from one of the lists.</exception>
    public static IReadOnlyList<(int Order, double Reliability)> Ratios(
        IReadOnlyList<ReliabilityTrainer.Fit> reliable, IReadOnlyList<DisentanglerTrainer.Fit> ordinary, string set, int samples)
    {
        var missing = reliable.Select(r => r.Order).Except(ordinary.Select(o => o.Order)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"reliability ratio: no Φ^(l) for order(s) {string.Join(", ", missing)}: train the ordinary disentanglers with the same orders");
        return reliable.Select(r =>
        {
            var o = ordinary.First(f => f.Order == r.Order);
            if (!r.ReliableMimics.TryGetValue(set, out var phiReliable) || !o.Mimics.TryGetValue(set, out var phi))
                throw new ArgumentException($"reliability ratio: sample set '{set}' was not evaluated for order {r.Order}: list it in both trainers' evaluate sets");
            return (r.Order, Ratio(phiReliable, phi, samples));
        }).ToList();
    }
}
