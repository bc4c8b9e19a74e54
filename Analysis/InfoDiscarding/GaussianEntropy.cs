namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>The entropy of a one-dimensional Gaussian, log σ + ½ log(2πe): the paper's pixel-level SID and RU.</summary>
public static class GaussianEntropy
{
    /// <summary>C = ½ log(2πe) ≈ 1.4189 (natural log: nats).</summary>
    public static readonly double Constant = 0.5 * Math.Log(2 * Math.PI * Math.E);

    /// <summary>H_i = log σ_i + C for every unit.</summary>
    /// <exception cref="ArgumentException">A σ is not a positive number (listed by index).</exception>
    public static double[] OfSigma(IReadOnlyList<float> sigma)
    {
        var bad = Enumerable.Range(0, sigma.Count).Where(i => !(sigma[i] > 0 && float.IsFinite(sigma[i]))).Take(10).ToList();
        if (bad.Count > 0)
            throw new ArgumentException($"σ must be positive numbers; bad at {string.Join(", ", bad.Select(i => $"[{i}] = {sigma[i]}"))}.", nameof(sigma));
        return sigma.Select(s => Math.Log(s) + Constant).ToArray();
    }

    /// <summary>Ĥ_i = ½ log(mean squared error) + C for every unit; a zero error gives −∞ (a perfectly kept unit).</summary>
    public static double[] OfMeanSquare(IReadOnlyList<double> meanSquare) =>
        meanSquare.Select(ms => 0.5 * Math.Log(ms) + Constant).ToArray();
}
