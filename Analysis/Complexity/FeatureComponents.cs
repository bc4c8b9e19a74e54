namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// The components of a feature by complexity order (METHODS.md section 3): with Φ^(l) the output of
/// the disentangler with l ReLU layers, c^(l_1) = Φ^(l_1), c^(l_i) = Φ^(l_i) − Φ^(l_{i−1}), and the
/// remainder Δf = f − Φ^(l_max), so f = Σ_i c^(l_i) + Δf. Significance ρ_c^(l) = Var[c^(l)] / Var[f]
/// with Var[z] = E_x ‖z(x) − E_x' z(x')‖². Features are row-major [samples, dimensions].
/// </summary>
public sealed class FeatureComponents
{
    private FeatureComponents(int[] orders, float[][] components, float[] remainder, int samples, int dimensions)
    {
        Orders = orders;
        Components = components;
        Remainder = remainder;
        Samples = samples;
        Dimensions = dimensions;
    }

    /// <summary>The complexity orders l_1 &lt; l_2 &lt; ..., one per component.</summary>
    public IReadOnlyList<int> Orders { get; }

    /// <summary>c^(l_i), row-major [samples, dimensions], in the order of <see cref="Orders"/>.</summary>
    public IReadOnlyList<float[]> Components { get; }

    /// <summary>Δf = f − Φ^(l_max): what no disentangler captured.</summary>
    public float[] Remainder { get; }

    public int Samples { get; }

    public int Dimensions { get; }

    /// <param name="feature">f, row-major [samples, dimensions].</param>
    /// <param name="mimics">Φ^(l) for each order l, the same shape as <paramref name="feature"/>.</param>
    /// <exception cref="ArgumentException">Orders not increasing, shapes that differ, or values that are not finite.</exception>
    public static FeatureComponents Decompose(float[] feature, int samples, IReadOnlyList<(int Order, float[] Mimic)> mimics)
    {
        var problems = new List<string>();
        if (samples < 2 || feature.Length % samples != 0) problems.Add($"{feature.Length} feature values do not make rows of {samples} samples (at least 2)");
        if (mimics.Count == 0) problems.Add("no disentangler outputs: give Φ^(l) for at least one order l");
        for (var i = 1; i < mimics.Count; i++)
            if (mimics[i].Order <= mimics[i - 1].Order) problems.Add($"orders must increase: {mimics[i - 1].Order} then {mimics[i].Order}");
        foreach (var (order, mimic) in mimics)
        {
            if (mimic.Length != feature.Length) problems.Add($"Φ^({order}) has {mimic.Length} values but the feature has {feature.Length}");
            else if (mimic.Any(v => !float.IsFinite(v))) problems.Add($"Φ^({order}) has NaN or infinite values: its disentangler diverged; lower its learning rate");
        }
        if (feature.Any(v => !float.IsFinite(v))) problems.Add("the feature has NaN or infinite values");
        if (problems.Count > 0) throw new ArgumentException("feature components: " + string.Join("; ", problems));

        var components = new float[mimics.Count][];
        for (var i = 0; i < mimics.Count; i++)
        {
            var current = mimics[i].Mimic;
            components[i] = i == 0 ? (float[])current.Clone() : current.Select((v, j) => v - mimics[i - 1].Mimic[j]).ToArray();
        }
        var last = mimics[^1].Mimic;
        var remainder = feature.Select((v, j) => v - last[j]).ToArray();
        return new FeatureComponents(mimics.Select(m => m.Order).ToArray(), components, remainder, samples, feature.Length / samples);
    }

    /// <summary>Components and remainder as <see cref="Decompose"/> made them (e.g. sent to a Shapley shard), checked for shape.</summary>
    /// <exception cref="ArgumentException">The parts differ in length or do not make rows of <paramref name="samples"/>.</exception>
    public static FeatureComponents FromParts(IReadOnlyList<int> orders, IReadOnlyList<float[]> components, float[] remainder, int samples)
    {
        if (orders.Count != components.Count || components.Count == 0)
            throw new ArgumentException($"{components.Count} components for {orders.Count} orders: give one component per order");
        if (samples < 1 || remainder.Length % samples != 0 || components.Any(c => c.Length != remainder.Length))
            throw new ArgumentException($"the components and the remainder ({remainder.Length} values) must all be rows of {samples} samples of one size");
        return new FeatureComponents(orders.ToArray(), components.ToArray(), remainder, samples, remainder.Length / samples);
    }

    /// <summary>ρ_c^(l) = Var[c^(l)] / Var[f] per order; f = Σ c + Δf.</summary>
    public double[] Significance()
    {
        var feature = Reconstruct();
        var total = Variance(feature, Samples, Dimensions);
        return ComponentVariances().Select(v => total > 0 ? v / total : 0).ToArray();
    }

    /// <summary>Var[c^(l)] per order.</summary>
    public double[] ComponentVariances() => Components.Select(c => Variance(c, Samples, Dimensions)).ToArray();

    /// <summary>Σ_i c^(l_i) + Δf, which is f again (up to float rounding).</summary>
    public float[] Reconstruct()
    {
        var sum = (float[])Remainder.Clone();
        foreach (var c in Components)
            for (var j = 0; j < sum.Length; j++) sum[j] += c[j];
        return sum;
    }

    /// <summary>Var[z] = E_x ‖z(x) − E_x' z(x')‖², in double precision.</summary>
    public static double Variance(float[] z, int samples, int dimensions)
    {
        var mean = new double[dimensions];
        for (var s = 0; s < samples; s++)
            for (var d = 0; d < dimensions; d++) mean[d] += z[s * dimensions + d];
        for (var d = 0; d < dimensions; d++) mean[d] /= samples;
        double sum = 0;
        for (var s = 0; s < samples; s++)
            for (var d = 0; d < dimensions; d++)
            {
                var diff = z[s * dimensions + d] - mean[d];
                sum += diff * diff;
            }
        return sum / samples;
    }
}
