namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// Per order: significance ρ_c, the Shapley values of both games with their standard errors,
/// α_eff = φ_train / √Var[c] and α_overfit = φ_overfit / φ_train (METHODS.md section 3). The Shapley
/// values are of the games on mean losses; by linearity that is the mean over samples of per-sample values.
/// </summary>
public sealed record ComplexityMetrics(
    IReadOnlyList<int> Orders,
    double[] Significance,
    ShapleyEstimate Effectiveness,
    ShapleyEstimate Overfitting,
    double[] AlphaEffective,
    double[] AlphaOverfit)
{
    public static ComplexityMetrics From(FeatureComponents train, ShapleyEstimate effectiveness, ShapleyEstimate overfitting) =>
        From(train.Orders, train.Significance(), train.ComponentVariances(), effectiveness, overfitting);

    /// <param name="componentVariance">Var[c^(l)] per order, on the samples the games were played on.</param>
    public static ComplexityMetrics From(
        IReadOnlyList<int> orders, double[] significance, double[] componentVariance, ShapleyEstimate effectiveness, ShapleyEstimate overfitting)
    {
        var alphaEffective = componentVariance.Select((v, i) => v > 0 ? effectiveness.Values[i] / Math.Sqrt(v) : 0).ToArray();
        // α_overfit is a ratio: where a component lowers the training loss by nothing there is no ratio to report.
        var alphaOverfit = overfitting.Values.Select((o, i) => effectiveness.Values[i] != 0 ? o / effectiveness.Values[i] : double.NaN).ToArray();
        return new ComplexityMetrics(orders, significance, effectiveness, overfitting, alphaEffective, alphaOverfit);
    }
}
