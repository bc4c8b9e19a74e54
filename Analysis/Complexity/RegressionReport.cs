namespace ProbeGrid.Analysis.Complexity;

/// <summary>What <see cref="PerformanceRegressor.Evaluate"/> reports: the fit on every row and both cross-validations.</summary>
public sealed record RegressionReport(RegressionFit Fit, CrossValidation RandomSplits, CrossValidation LeaveOneOut);
