namespace ProbeGrid.Analysis.Cka;

/// <summary>
/// An upper bound on the device bytes one batch of CKA needs, for a compute executor's memory budget: what stays
/// (each layer's centred form, m·min(p, m) float64s, and its m row norms), the largest transient while a layer is
/// built (its float32 upload and float64 copy, 12·m·p bytes), and the largest pair product (at most 2·m² float64s:
/// Ycᵀ Xc is p₂ x p₁ with both ≤ m, and L Xc with its product is 2·m·p₁).
/// The managed feature matrices the caller passes in are not counted.
/// </summary>
public static class CkaMemory
{
    /// <param name="batchRows">m: the samples per batch (n when not minibatching).</param>
    /// <param name="columns">The feature count p of every representation held in one batch (both sets, when comparing two).</param>
    public static long DeviceBytes(int batchRows, IReadOnlyList<int> columns)
    {
        long m = batchRows;
        var kept = columns.Sum(p => 8 * m * Math.Min(p, m) + 8 * m);
        var building = columns.Count == 0 ? 0 : columns.Max(p => 12 * m * p);
        return kept + building + 16 * m * m;
    }
}
