using ProbeGrid.Analysis.InfoDiscarding;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.InfoDiscarding;

/// <summary>
/// RU with h = A x (A invertible) and the exact decoder g = A⁻¹: then x̂' = x + σ∘δ, E(x_i − x̂'_i)² = σ_i²,
/// and Ĥ_i = log σ_i + ½ log(2πe) equals SID's H_i.
/// </summary>
public class ReconstructionUncertaintyTests(ITestOutputHelper output)
{
    private static readonly double[,] A = { { 2, 0.5, 0 }, { 0, 1, 1 }, { 1, 0, -1 } };

    private static Func<Tensor, Tensor> Inverse()
    {
        var flat = new float[9];
        for (var r = 0; r < 3; r++) for (var c = 0; c < 3; c++) flat[r * 3 + c] = (float)A[r, c];
        var inverse = torch.linalg.inv(torch.tensor(flat, [3, 3]).to_type(ScalarType.Float64)).to_type(ScalarType.Float32).DetachFromDisposeScope();
        return f => f.matmul(inverse.t());
    }

    [Fact]
    public void With_the_exact_inverse_as_decoder_RU_at_a_given_sigma_is_the_Gaussian_entropy_of_sigma()
    {
        float[] sigma = [0.1f, 0.2f, 0.4f];
        var options = new InfoDiscardingOptions { EvaluationSamples = 8000, Seed = 2 };
        var ru = ReconstructionUncertainty.AtSigma(LinearFeature.Of(A), Inverse(), LinearFeature.Input(0.5f, -1, 2), sigma, options);
        var expected = GaussianEntropy.OfSigma(sigma);
        output.WriteLine($"Ĥ {string.Join(", ", ru.PixelUncertainty.Select(v => v.ToString("F4")))}; log σ + C {string.Join(", ", expected.Select(v => v.ToString("F4")))}; ratio {ru.Ratio:G4}");
        // ½ log of a mean of 8000 σ²χ²₁ draws: standard error ½ √(2/8000) ≈ 0.008; allow 4 of them.
        Assert.Equal(expected, ru.PixelUncertainty, new Tolerance(0.032));
        Assert.Equal(ru.PixelUncertainty.Sum(), ru.LayerUncertainty, 1e-9);
        // The constraint ratio at this σ: Σ σ_i² a_i / (τ ||A||_F²) with a = 5, 1.25, 2.
        Assert.Equal((0.01 * 5 + 0.04 * 1.25 + 0.16 * 2) / (0.01 * 8.25), ru.Ratio, 0.1 * ru.Ratio);
    }

    /// <summary>
    /// With g = A⁻¹ the RU loss (1/δ_f²) Σ σ_i² a_i − (λ/2) Σ log σ_i² equals the SID loss, so the learned σ must
    /// be SID's closed form σ_i² = λ δ_f² / (2 a_i), and the search must again find λ = 2α/n = 1 (n = 3).
    /// </summary>
    [Fact]
    public void With_the_exact_inverse_as_decoder_RU_learns_the_SID_optimum_and_meets_the_constraint()
    {
        var options = new InfoDiscardingOptions { NoiseBatch = 64, Seed = 4 };
        var ru = ReconstructionUncertainty.Estimate(LinearFeature.Of(A), Inverse(), LinearFeature.Input(0.5f, -1, 2), options, CancellationToken.None);
        var norms = LinearFeature.ColumnNormsSquared(A);
        var expected = norms.Select(a => Math.Sqrt(ru.Lambda * ru.DeltaF2 / (2 * a))).ToArray();
        output.WriteLine($"λ {ru.Lambda:G4}, ratio {ru.Ratio:G4}, rounds {ru.Rounds}; σ {string.Join(", ", ru.Sigma.Select(s => s.ToString("G4")))} vs {string.Join(", ", expected.Select(s => s.ToString("G4")))}; RU {ru.LayerUncertainty:G4}");
        Assert.True(ru.Converged);
        Assert.True(Math.Abs(ru.Ratio / 1.5 - 1) <= 0.05, $"ratio {ru.Ratio}");
        Assert.True(Math.Abs(ru.Lambda - 1) < 0.1, $"λ {ru.Lambda}");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(ru.Sigma[i] / expected[i] - 1) < 0.06, $"unit {i}: σ {ru.Sigma[i]} vs {expected[i]}");
            Assert.Equal(Math.Log(ru.Sigma[i]) + GaussianEntropy.Constant, ru.PixelUncertainty[i], 0.05);
        }
    }

    [Fact]
    public void A_decoder_of_the_wrong_shape_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ReconstructionUncertainty.AtSigma(LinearFeature.Of(A), f => f[.., ..2], LinearFeature.Input(1, 2, 3), [1f, 1f, 1f], new InfoDiscardingOptions()));
        Assert.Contains("the decoder returned shape [1, 2]", e.Message);
    }
}
