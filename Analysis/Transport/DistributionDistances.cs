namespace ProbeGrid.Analysis.Transport;

/// <summary>
/// The paper's other distances between a target label distribution μ and a predicted one μ̂
/// (natural logarithms): KL(μ‖μ̂), Jensen-Shannon, and Chebyshev (L∞).
/// </summary>
public static class DistributionDistances
{
    /// <summary>Predicted masses below this count as this in KL, so a label the classifier rules out costs a large but finite amount.</summary>
    public const double KlFloor = 1e-12;

    /// <summary>KL(μ‖μ̂) = Σ μ_i log(μ_i / max(μ̂_i, floor)), with 0·log 0 = 0.</summary>
    public static double KullbackLeibler(ReadOnlySpan<double> target, ReadOnlySpan<double> predicted)
    {
        double sum = 0;
        for (var i = 0; i < target.Length; i++)
            if (target[i] > 0) sum += target[i] * Math.Log(target[i] / Math.Max(predicted[i], KlFloor));
        return sum;
    }

    /// <summary>JS = ½ KL(μ‖m) + ½ KL(μ̂‖m), m = ½(μ + μ̂); between 0 and ln 2.</summary>
    public static double JensenShannon(ReadOnlySpan<double> target, ReadOnlySpan<double> predicted)
    {
        double sum = 0;
        for (var i = 0; i < target.Length; i++)
        {
            var m = 0.5 * (target[i] + predicted[i]);
            if (target[i] > 0) sum += 0.5 * target[i] * Math.Log(target[i] / m);
            if (predicted[i] > 0) sum += 0.5 * predicted[i] * Math.Log(predicted[i] / m);
        }
        return sum;
    }

    /// <summary>max_i |μ_i − μ̂_i|.</summary>
    public static double Chebyshev(ReadOnlySpan<double> target, ReadOnlySpan<double> predicted)
    {
        double max = 0;
        for (var i = 0; i < target.Length; i++) max = Math.Max(max, Math.Abs(target[i] - predicted[i]));
        return max;
    }
}
