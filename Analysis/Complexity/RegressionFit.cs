namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// A linear regressor fitted by <see cref="PerformanceRegressor.Fit"/>: ŷ = Intercept + Σ_j Coefficients[j] x_j,
/// in the features' original units (the fit itself ran on features standardised on its training rows).
/// </summary>
/// <param name="Intercept">the intercept (never penalised)</param>
/// <param name="Coefficients">one slope per feature, original units</param>
/// <param name="InSampleR2">1 − SSE / SST on the rows it was fitted on</param>
/// <param name="Ridge">λ, the ridge penalty on the standardised slopes (0: ordinary least squares)</param>
/// <param name="Rows">rows it was fitted on</param>
public sealed record RegressionFit(double Intercept, IReadOnlyList<double> Coefficients, double InSampleR2, double Ridge, int Rows)
{
    public double Predict(IReadOnlyList<double> features)
    {
        if (features.Count != Coefficients.Count)
            throw new ArgumentException($"the regressor has {Coefficients.Count} features but the row has {features.Count}", nameof(features));
        var value = Intercept;
        for (var j = 0; j < features.Count; j++) value += Coefficients[j] * features[j];
        return value;
    }
}
