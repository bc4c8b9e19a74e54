using ProbeGrid.Analysis.Complexity;

namespace ProbeGrid.Tests.Complexity;

public class ComponentGamesTests
{
    // One sample, two dimensions; f = (5, 1): Φ^(1) = (2, 0), Φ^(4) = (3, 1) → c1 = (2, 0), c4 = (1, 1), Δf = (2, 0).
    private static FeatureComponents Parts(float scale) => FeatureComponents.Decompose([5 * scale, 1 * scale, 5, 1], 2,
        [(1, [2 * scale, 0, 2, 0]), (4, [3 * scale, 1 * scale, 3, 1])]);

    [Fact]
    public void A_loss_linear_in_the_feature_makes_both_games_additive()
    {
        // L(z) = −mean over samples of Σ z; on test samples it counts twice.
        double Loss(float[] z, int count, bool test) => -(test ? 2 : 1) * z.Sum() / count;
        var train = Parts(1);
        var test = Parts(1);
        var losses = ComponentGames.Evaluate(ExactShapley.Coalitions(2), train, test, Loss, CancellationToken.None);
        var effectiveness = ExactShapley.Values(2, ComponentGames.Effectiveness(losses));
        var overfitting = ExactShapley.Values(2, ComponentGames.Overfitting(losses));
        // Each component lowers the training loss by its own mean sum: c1 → 2, c4 → 2 (per sample, both samples equal).
        Assert.Equal([2.0, 2.0], effectiveness.Values);
        // The gap L_test − L_train = −Σ z: each component adds −(its sum) to it.
        Assert.Equal([-2.0, -2.0], overfitting.Values);

        var metrics = ComplexityMetrics.From(train, effectiveness, overfitting);
        Assert.Equal([1, 4], metrics.Orders);
        // c1 and c4 are constant over samples: no variance, so α_eff has nothing to scale by.
        Assert.Equal([0.0, 0.0], metrics.AlphaEffective);
        Assert.Equal([-1.0, -1.0], metrics.AlphaOverfit);
    }

    [Fact]
    public void Alpha_effective_divides_by_the_components_spread()
    {
        // Samples differ by a factor 3, so each component varies over them.
        var train = Parts(3);
        double Loss(float[] z, int count, bool test) => -z.Sum() / count;
        var losses = ComponentGames.Evaluate(ExactShapley.Coalitions(2), train, train, Loss, CancellationToken.None);
        var effectiveness = ExactShapley.Values(2, ComponentGames.Effectiveness(losses));
        // c1 over the samples: (6, 0) and (2, 0): mean sum 4, Var = mean of ‖±(2, 0)‖² = 4, √Var = 2.
        Assert.Equal(4.0, effectiveness.Values[0], 1e-12);
        var metrics = ComplexityMetrics.From(train, effectiveness, ExactShapley.Values(2, ComponentGames.Overfitting(losses)));
        Assert.Equal(2.0, metrics.AlphaEffective[0], 1e-12);
    }

    [Fact]
    public void A_diverging_upper_network_is_named_with_the_coalition()
    {
        var parts = Parts(1);
        var e = Assert.Throws<InvalidOperationException>(() =>
            ComponentGames.Evaluate([0u, 3u], parts, parts, (z, n, test) => z.Sum() > 6 ? double.NaN : 0, CancellationToken.None));
        Assert.Contains("coalition {0,1}", e.Message);
    }
}
