namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// Concentration of information discarding (the paper's Eq. 7): E_{i∉Λ}[H_i] − E_{i∈Λ}[H_i], with Λ
/// the object's pixels. Positive when the layer discards more of the background than of the object,
/// the efficient case for a classifier. Works on SID's H_i or RU's Ĥ_i alike.
/// </summary>
public static class Concentration
{
    /// <param name="pixelEntropy">H_i per input unit, row-major.</param>
    /// <param name="objectMask">True for the units of Λ (the object's segment or box), same order and length.</param>
    /// <exception cref="ArgumentException">Lengths differ, Λ or its complement is empty, or an H_i is NaN; all listed.</exception>
    public static double Of(IReadOnlyList<double> pixelEntropy, IReadOnlyList<bool> objectMask)
    {
        var problems = new List<string>();
        if (pixelEntropy.Count != objectMask.Count)
            problems.Add($"the mask has {objectMask.Count} units, the entropy map {pixelEntropy.Count}: give one mask value per input unit");
        var inside = objectMask.Count(m => m);
        if (inside == 0) problems.Add("the object mask Λ is empty: mark the object's units true");
        if (inside == objectMask.Count && objectMask.Count > 0) problems.Add("the object mask Λ covers every unit: the background must not be empty");
        if (pixelEntropy.Any(double.IsNaN)) problems.Add("the entropy map has NaN values");
        if (problems.Count > 0) throw new ArgumentException("concentration: " + string.Join("; ", problems));

        double objectSum = 0, backgroundSum = 0;
        for (var i = 0; i < pixelEntropy.Count; i++)
        {
            if (objectMask[i]) objectSum += pixelEntropy[i];
            else backgroundSum += pixelEntropy[i];
        }
        return backgroundSum / (objectMask.Count - inside) - objectSum / inside;
    }
}
