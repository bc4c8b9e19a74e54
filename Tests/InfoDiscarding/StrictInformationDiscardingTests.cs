using ProbeGrid.Analysis.InfoDiscarding;
using TorchSharp;
using Xunit.Abstractions;

namespace ProbeGrid.Tests.InfoDiscarding;

public class StrictInformationDiscardingTests(ITestOutputHelper output)
{
    // 4 inputs -> 3 outputs, columns of distinct norms ||A_:,i||² = 5, 1.25, 2, 0.14.
    private static readonly double[,] A = { { 2, 0.5, 0, 0.2 }, { 0, 1, 1, -0.3 }, { 1, 0, -1, 0.1 } };

    // The same with the last column zero: h ignores input 3.
    private static readonly double[,] Blind = { { 2, 0.5, 0, 0 }, { 0, 1, 1, 0 }, { 1, 0, -1, 0 } };

    private static readonly InfoDiscardingOptions Options = new() { NoiseBatch = 64, Seed = 7 };

    /// <summary>
    /// δ_f² for h = A x: x' − x = √τ δ with δ ~ N(0, I) (τ read as a variance, the paper's N(x, τI)), so
    /// ||h(x') − f||² = τ ||A δ||² and E = τ tr(AᵀA) = τ ||A||_F² = 0.01 × 8.39. Its Monte-Carlo standard
    /// error is τ √(2 tr((AᵀA)²) / N); the test allows 4 of them.
    /// </summary>
    [Fact]
    public void Normalising_variance_of_a_linear_map_is_tau_times_the_squared_Frobenius_norm()
    {
        const int samples = 20000;
        var h = LinearFeature.Of(A);
        var deltaF2 = NormalisingVariance.Estimate(h, LinearFeature.Input(0.3f, -0.2f, 0.5f, 1f), 0.01, samples, seed: 3);
        var frobenius = LinearFeature.ColumnNormsSquared(A).Sum();
        var gram = new double[4, 4];
        for (var i = 0; i < 4; i++) for (var j = 0; j < 4; j++) for (var r = 0; r < 3; r++) gram[i, j] += A[r, i] * A[r, j];
        var traceSquare = 0.0;
        for (var i = 0; i < 4; i++) for (var j = 0; j < 4; j++) traceSquare += gram[i, j] * gram[i, j];
        var standardError = 0.01 * Math.Sqrt(2 * traceSquare / samples);
        output.WriteLine($"δ_f² = {deltaF2:G5}, τ||A||_F² = {0.01 * frobenius:G5}, s.e. {standardError:G3}");
        Assert.Equal(0.01 * frobenius, deltaF2, 4 * standardError);
    }

    /// <summary>
    /// For h = A x the feature deviation is A(σ∘δ), and E||A(σ∘δ)||² = Σ_i σ_i² ||A_:,i||² (the cross terms
    /// vanish: E δ_i δ_j = 0 for i ≠ j). With s_i = log σ_i the loss is Σ_i e^{2 s_i} a_i / δ_f² − λ Σ_i s_i,
    /// a_i = ||A_:,i||², which separates per unit and is convex in s_i. Setting ∂/∂s_i = 2 σ_i² a_i / δ_f² − λ
    /// to zero gives σ_i² = λ δ_f² / (2 a_i). Adam on Monte-Carlo gradients (64 draws a step, learning rate
    /// decaying to 0.002) must land within 5% of it for every unit; δ_f² is the run's own estimate.
    /// </summary>
    [Fact]
    public void Learned_sigma_of_a_linear_map_matches_the_closed_form_at_a_fixed_lambda()
    {
        const double lambda = 0.8;
        var sid = StrictInformationDiscarding.EstimateAtLambda(LinearFeature.Of(A), LinearFeature.Input(0.3f, -0.2f, 0.5f, 1f), lambda, Options, CancellationToken.None);
        var expected = LinearFeature.ColumnNormsSquared(A).Select(a => Math.Sqrt(lambda * sid.DeltaF2 / (2 * a))).ToArray();
        output.WriteLine($"σ learned {string.Join(", ", sid.Sigma.Select(s => s.ToString("G4")))}; closed form {string.Join(", ", expected.Select(s => s.ToString("G4")))}; ratio {sid.Ratio:G4} (n λ / 2 = {4 * lambda / 2:G4})");
        for (var i = 0; i < 4; i++)
            Assert.True(Math.Abs(sid.Sigma[i] / expected[i] - 1) < 0.05, $"unit {i}: σ {sid.Sigma[i]} vs {expected[i]}");
        Assert.Equal(0, sid.CappedCount);
        // At the optimum every unit contributes λ δ_f² / 2, so the ratio is n λ / 2.
        Assert.Equal(4 * lambda / 2, sid.Ratio, 0.1);
    }

    /// <summary>
    /// With one column of A zero, the free units reach σ_i² a_i = λ δ_f² / 2 each, so the ratio is
    /// n_free λ / 2 = 3λ/2 and the search must find λ = 2α/3 = 1 with the ratio within 5% of α = 1.5.
    /// The ignored unit feels only −λ log σ and must stop at the cap (3 here) and be reported capped.
    /// </summary>
    [Fact]
    public void Lambda_search_meets_the_constraint_and_an_ignored_unit_stops_at_the_cap()
    {
        var options = Options with { SigmaCap = 3 };
        var sid = StrictInformationDiscarding.Estimate(LinearFeature.Of(Blind), LinearFeature.Input(0.3f, -0.2f, 0.5f, 1f), options, CancellationToken.None);
        output.WriteLine($"λ {sid.Lambda:G4}, ratio {sid.Ratio:G4}, rounds {sid.Rounds}, steps {sid.Steps}, σ {string.Join(", ", sid.Sigma.Select(s => s.ToString("G4")))}, capped {sid.CappedCount}, H {sid.LayerEntropy:G4}");
        Assert.True(sid.Converged);
        Assert.True(Math.Abs(sid.Ratio / 1.5 - 1) <= 0.05, $"ratio {sid.Ratio}");
        Assert.True(Math.Abs(sid.Lambda - 1) < 0.1, $"λ {sid.Lambda}");
        // The exact ratio of the learned σ, free of both Monte-Carlo estimates: Σ σ_i² a_i / (τ ||A||_F²).
        var norms = LinearFeature.ColumnNormsSquared(Blind);
        var exactRatio = Enumerable.Range(0, 4).Sum(i => sid.Sigma[i] * sid.Sigma[i] * norms[i]) / (0.01 * norms.Sum());
        output.WriteLine($"exact ratio {exactRatio:G4}, δ_f² {sid.DeltaF2:G4} vs τ||A||_F² {0.01 * norms.Sum():G4}");
        Assert.True(Math.Abs(exactRatio / 1.5 - 1) <= 0.1, $"exact ratio {exactRatio}");
        Assert.Equal([false, false, false, true], sid.Capped);
        Assert.Equal(1, sid.CappedCount);
        Assert.Equal(3.0, sid.Sigma[3], 1e-4);
        Assert.Equal(3.0, sid.SigmaCap);
        for (var i = 0; i < 3; i++)
        {
            var expected = Math.Sqrt(sid.Lambda * sid.DeltaF2 / (2 * norms[i]));
            Assert.True(Math.Abs(sid.Sigma[i] / expected - 1) < 0.06, $"unit {i}: σ {sid.Sigma[i]} vs {expected}");
        }
        Assert.Equal(sid.PixelEntropy.Sum(), sid.LayerEntropy, 1e-9);
    }

    [Fact]
    public void Pixel_entropy_is_log_sigma_plus_half_log_two_pi_e()
    {
        Assert.Equal(1.4189385332046727, GaussianEntropy.Constant, 1e-12);
        var h = GaussianEntropy.OfSigma([1f, (float)Math.Exp(-1), 0.5f]);
        Assert.Equal([1.4189385332, 0.4189385332, 1.4189385332 - Math.Log(2)], h, new Tolerance(1e-6));
        Assert.Throws<ArgumentException>(() => GaussianEntropy.OfSigma([1f, 0f]));
    }

    [Fact]
    public void Bad_options_and_inputs_are_listed_together()
    {
        var bad = new InfoDiscardingOptions { Tau = -1, Alpha = 0, NoiseBatch = 0, SigmaCap = 0 };
        var e = Assert.Throws<ArgumentException>(() => StrictInformationDiscarding.Estimate(LinearFeature.Of(A), LinearFeature.Input(float.NaN, 0, 0, 0), bad, CancellationToken.None));
        Assert.Contains("tau -1 must be a positive variance", e.Message);
        Assert.Contains("alpha 0 must be a positive number", e.Message);
        Assert.Contains("noiseBatch 0 must be at least 1", e.Message);
        Assert.Contains("sigmaCap 0 must be a positive number", e.Message);
        Assert.Contains("x has NaN or infinite values", e.Message);

        var constant = new FeatureFunction(x => torch.zeros(x.shape[0], 3), "constant");
        var flat = Assert.Throws<ArgumentException>(() => StrictInformationDiscarding.Estimate(constant, LinearFeature.Input(1, 2, 3, 4), Options, CancellationToken.None));
        Assert.Contains("does not move under input noise", flat.Message);

        // A managed failure inside h is reported with the shape it was given. (A libtorch shape error cannot be
        // shown here: on this runtime a native c10::Error terminates the test host instead of surfacing.)
        var throwing = new FeatureFunction(x => throw new InvalidOperationException("expects 5 inputs"), "picky");
        var wrongShape = Assert.Throws<ArgumentException>(() => StrictInformationDiscarding.Estimate(throwing, LinearFeature.Input(1, 2, 3), Options, CancellationToken.None));
        Assert.Contains("failed on a batch of shape [1, 3]: expects 5 inputs", wrongShape.Message);
    }
}
