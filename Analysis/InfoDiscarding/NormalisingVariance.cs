using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// δ_f² = E_{x' ~ N(x, τI)} ||h(x') − f||²: how much the layer's feature moves under a small, fixed
/// input noise. Dividing the loss by it puts every layer on the same footing (a layer whose
/// activations are 4× larger moves 16× more, and its δ_f² is 16× larger too), which is what makes
/// SID comparable across layers and networks. τ is a variance (the paper's covariance τI): the noise
/// has standard deviation √τ.
/// </summary>
public static class NormalisingVariance
{
    /// <param name="x">One sample, without the batch dimension.</param>
    /// <exception cref="ArgumentException">A bad τ, sample count or input, all listed.</exception>
    public static double Estimate(FeatureFunction h, Tensor x, double tau, int samples, long seed, int chunk = 128)
    {
        var problems = InputChecks.Problems(x);
        if (!(tau > 0 && double.IsFinite(tau))) problems.Add($"tau {tau} must be a positive variance (the paper's 0.01)");
        if (samples < 2) problems.Add($"samples {samples} must be at least 2");
        if (chunk < 1) problems.Add($"chunk {chunk} must be at least 1");
        if (problems.Count > 0) throw new ArgumentException("δ_f² estimate: " + string.Join("; ", problems));

        using var scope = torch.NewDisposeScope();
        var batch = x.unsqueeze(0);
        var f = InputChecks.FeatureOf(h, batch);
        using var generator = new Generator((ulong)seed);
        using var scale = torch.tensor(Math.Sqrt(tau), dtype: x.dtype, device: x.device);
        return FeatureDeviation.Mean(h, batch, f, scale, samples, chunk, generator);
    }
}
