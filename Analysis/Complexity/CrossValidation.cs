namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// Held-out performance of <see cref="PerformanceRegressor"/> under one cross-validation protocol, pooled over
/// every held-out prediction (of every split).
/// </summary>
/// <param name="Protocol">"random-splits" or "leave-one-out"</param>
/// <param name="Splits">train/test splits fitted (repeats, or one per row)</param>
/// <param name="TestRows">rows held out per split</param>
/// <param name="Rmse">root mean squared error of the held-out predictions</param>
/// <param name="Mae">their mean absolute error (the paper's Table 7 measure)</param>
/// <param name="R2">1 − SSE / SSE_baseline: against predicting each split's training mean</param>
/// <param name="BaselineRmse">RMSE of predicting each split's training mean</param>
/// <param name="Predictions">
/// leave-one-out: row i's prediction from the fit without it; random splits: each row's mean prediction over the
/// splits that held it out (NaN for a row never held out)
/// </param>
public sealed record CrossValidation(
    string Protocol,
    int Splits,
    int TestRows,
    double Rmse,
    double Mae,
    double R2,
    double BaselineRmse,
    IReadOnlyList<double> Predictions);
