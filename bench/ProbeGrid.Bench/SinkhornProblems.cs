using ProbeGrid.Analysis.Transport;

namespace ProbeGrid.Bench;

/// <summary>
/// Realistic Wasserstein-analysis inputs, identical here and in bench/sinkhorn_pot.py: a multi-hot
/// target with 1-3 labels and a sigmoid prediction per pair, both normalised to sum 1. A pair's
/// sharpness s (1 to 6) plays the layer's depth: logit_c = s·(2u − 1 ± 0.8), + for the target's
/// labels, so most labels fall on the right side of 0.5 and sharp pairs are nearly 0/1.
/// The random numbers come from SplitMix64 so that the Python peer can draw exactly the same.
/// </summary>
public sealed class SinkhornProblems
{
    private ulong state;

    private SinkhornProblems(ulong seed) => state = seed;

    /// <summary>Row-major [pairs, K] predicted (a) and target (b) distributions; the seed is K.</summary>
    public static (double[] A, double[] B) Generate(int pairs, int k)
    {
        var random = new SinkhornProblems((ulong)k);
        var predictions = new float[pairs * k];
        var targets = new float[pairs * k];
        for (var p = 0; p < pairs; p++)
        {
            var labels = Math.Min(k, 1 + (int)(3 * random.Uniform()));
            for (var chosen = 0; chosen < labels;)
            {
                var label = (int)(random.Uniform() * k);
                if (targets[p * k + label] == 1) continue;
                targets[p * k + label] = 1;
                chosen++;
            }
            var sharpness = 1 + 5 * random.Uniform();
            for (var c = 0; c < k; c++)
            {
                var logit = sharpness * (2 * random.Uniform() - 1 + (targets[p * k + c] == 1 ? 0.8 : -0.8));
                predictions[p * k + c] = (float)(1 / (1 + Math.Exp(-logit)));
            }
        }
        return (LabelDistributions.Normalise(predictions, k).Rows, LabelDistributions.Normalise(targets, k).Rows);
    }

    /// <summary>A uniform double in [0, 1) from the top 53 bits of SplitMix64.</summary>
    private double Uniform()
    {
        state += 0x9E3779B97F4A7C15;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
