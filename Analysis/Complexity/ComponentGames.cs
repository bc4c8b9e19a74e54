namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// The two cooperative games of METHODS.md section 3, whose players are a feature's components
/// c^(l_1..l_n). A coalition S feeds Δf + Σ_{i∈S} c^(i) to the layers above the target layer and
/// takes the task loss, on the training and on the test samples. One evaluation per coalition serves
/// both games: effectiveness v(S) = L_train(∅) − L_train(S) (how much the components in S lower the
/// training loss), over-fitting v(S) = L_test(S) − L_train(S) (the loss gap they bring).
/// </summary>
public static class ComponentGames
{
    /// <summary>Mean task loss of the upper network on a feature batch, row-major [count, ..feature shape].</summary>
    public delegate double MeanLoss(float[] feature, int count, bool test);

    /// <summary>The coalition's feature on one split: Δf + Σ_{i∈S} c^(i).</summary>
    public static float[] CoalitionFeature(FeatureComponents parts, uint coalition)
    {
        var feature = (float[])parts.Remainder.Clone();
        foreach (var i in Coalition.Members(coalition))
        {
            var c = parts.Components[i];
            for (var j = 0; j < feature.Length; j++) feature[j] += c[j];
        }
        return feature;
    }

    /// <summary>Train and test losses of each coalition: what a shard computes for its share of the coalitions.</summary>
    public static IReadOnlyDictionary<uint, (double Train, double Test)> Evaluate(
        IEnumerable<uint> coalitions, FeatureComponents train, FeatureComponents test, MeanLoss loss, CancellationToken ct)
    {
        var result = new Dictionary<uint, (double, double)>();
        foreach (var coalition in coalitions)
        {
            ct.ThrowIfCancellationRequested();
            var trainLoss = loss(CoalitionFeature(train, coalition), train.Samples, test: false);
            var testLoss = loss(CoalitionFeature(test, coalition), test.Samples, test: true);
            if (!double.IsFinite(trainLoss) || !double.IsFinite(testLoss))
                throw new InvalidOperationException($"the task loss of coalition {{{string.Join(",", Coalition.Members(coalition))}}} is not finite (train {trainLoss}, test {testLoss}): the upper network diverges on that feature");
            result[coalition] = (trainLoss, testLoss);
        }
        return result;
    }

    /// <summary>The effectiveness game's values: v(S) = L_train(∅) − L_train(S).</summary>
    public static Dictionary<uint, double> Effectiveness(IReadOnlyDictionary<uint, (double Train, double Test)> losses) =>
        losses.ToDictionary(p => p.Key, p => losses[0].Train - p.Value.Train);

    /// <summary>The over-fitting game's values: v(S) = L_test(S) − L_train(S).</summary>
    public static Dictionary<uint, double> Overfitting(IReadOnlyDictionary<uint, (double Train, double Test)> losses) =>
        losses.ToDictionary(p => p.Key, p => p.Value.Test - p.Value.Train);
}
