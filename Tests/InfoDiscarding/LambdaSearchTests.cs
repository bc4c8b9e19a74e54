using ProbeGrid.Analysis.InfoDiscarding;

namespace ProbeGrid.Tests.InfoDiscarding;

public class LambdaSearchTests
{
    [Fact]
    public void A_ratio_proportional_to_lambda_is_solved_in_two_rounds()
    {
        // The locally linear case: ratio = n_free λ / 2 with n_free = 5, so λ* = 2α/5 = 0.6.
        var outcome = LambdaSearch.Run(l => 2.5 * l, alpha: 1.5, tolerance: 0.01, initialLambda: 0.1, maxRounds: 10);
        Assert.True(outcome.Converged);
        Assert.Equal(2, outcome.Rounds);
        Assert.Equal(0.6, outcome.Lambda, 1e-12);
    }

    [Fact]
    public void A_nonlinear_ratio_is_bracketed_and_met_within_the_tolerance()
    {
        // Saturating: ratio = 3 λ² / (1 + λ²) reaches α = 1.5 at λ = 1 only; the multiplicative step overshoots.
        var calls = new List<double>();
        var outcome = LambdaSearch.Run(l => { calls.Add(l); return 3 * l * l / (1 + l * l); }, 1.5, 0.01, initialLambda: 0.05, maxRounds: 30);
        Assert.True(outcome.Converged, $"tried {string.Join(", ", calls)}");
        Assert.True(Math.Abs(outcome.Ratio / 1.5 - 1) <= 0.01);
        Assert.Equal(1, outcome.Lambda, 0.01);
    }

    [Fact]
    public void An_unreachable_ratio_returns_the_closest_lambda_unconverged()
    {
        var outcome = LambdaSearch.Run(l => Math.Min(l, 1.0), alpha: 1.5, tolerance: 0.05, initialLambda: 0.5, maxRounds: 4);
        Assert.False(outcome.Converged);
        Assert.Equal(1.0, outcome.Ratio);
        Assert.Equal(4, outcome.Rounds);
    }

    [Fact]
    public void Bad_settings_are_listed_together()
    {
        var e = Assert.Throws<ArgumentException>(() => LambdaSearch.Run(l => l, alpha: -1, tolerance: 2, initialLambda: 0, maxRounds: 0));
        Assert.Contains("alpha -1", e.Message);
        Assert.Contains("tolerance 2", e.Message);
        Assert.Contains("initialLambda 0", e.Message);
        Assert.Contains("maxRounds 0", e.Message);
    }
}
