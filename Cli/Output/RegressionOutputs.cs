using System.Globalization;
using System.Text;
using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Cli.Commands;
using ProbeGrid.Client.Export;

namespace ProbeGrid.Cli.Output;

/// <summary>What <c>probegrid regress</c> prints and writes: the summary table, <c>regression.json</c> and <c>predictions.csv</c>.</summary>
public static class RegressionOutputs
{
    public const string JsonFile = "regression.json";
    public const string CsvFile = "predictions.csv";

    /// <summary>The compact summary for stdout: the fit on every row, then one line per protocol.</summary>
    public static string Summary(RegressionTable table, RegressionReport report)
    {
        var fit = report.Fit;
        var text = new StringBuilder();
        text.AppendLine(Invariant($"{table.Rows.Count} networks at layer {table.Layer}; target {table.Target}; {table.Features.Count} features; ridge λ = {fit.Ridge}"));
        var width = Math.Max("intercept".Length, table.Features.Max(f => f.Length));
        text.AppendLine(Invariant($"{"term".PadRight(width)}  {"coefficient",14}"));
        text.AppendLine(Invariant($"{"intercept".PadRight(width)}  {N(fit.Intercept),14}"));
        for (var j = 0; j < table.Features.Count; j++) text.AppendLine(Invariant($"{table.Features[j].PadRight(width)}  {N(fit.Coefficients[j]),14}"));
        text.AppendLine(Invariant($"in-sample R² {N(fit.InSampleR2)}"));
        text.AppendLine(Invariant($"{"protocol",-14}  {"splits",6}  {"test",4}  {"RMSE",11}  {"MAE",11}  {"R²",11}  {"baseline RMSE",13}"));
        foreach (var cv in new[] { report.RandomSplits, report.LeaveOneOut })
            text.AppendLine(Invariant($"{cv.Protocol,-14}  {cv.Splits,6}  {cv.TestRows,4}  {N(cv.Rmse),11}  {N(cv.Mae),11}  {N(cv.R2),11}  {N(cv.BaselineRmse),13}"));
        return text.ToString();
    }

    /// <summary>regression.json: the inputs (sweeps, checkpoints, features, target, settings), the fit and both protocols' scores.</summary>
    public static string Json(RegressionTable table, RegressionReport report, double testShare, int seed) => JsonExport.Serialize(new
    {
        table.Layer,
        table.Target,
        table.Features,
        report.Fit.Ridge,
        TestShare = testShare,
        Seed = seed,
        Networks = table.Rows.Select(r => new { r.Sweep, r.Checkpoint, r.Step }),
        Fit = new
        {
            report.Fit.Intercept,
            Coefficients = table.Features.Select((f, j) => new { Feature = f, Coefficient = report.Fit.Coefficients[j] }),
            report.Fit.InSampleR2,
            report.Fit.Rows,
        },
        CrossValidation = new[] { report.RandomSplits, report.LeaveOneOut }.Select(cv => new
        {
            cv.Protocol, cv.Splits, cv.TestRows, cv.Rmse, cv.Mae, cv.R2, cv.BaselineRmse,
        }),
    });

    /// <summary>predictions.csv: per network, the actual target, its leave-one-out prediction and residual, and the all-rows fit's prediction.</summary>
    public static void WriteCsv(TextWriter writer, RegressionTable table, RegressionReport report)
    {
        writer.WriteLine("sweep,checkpoint,step,actual,loo_prediction,loo_residual,fit_prediction");
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            var loo = report.LeaveOneOut.Predictions[i];
            writer.WriteLine(Invariant($"{MetricCsv.Quote(row.Sweep)},{MetricCsv.Quote(row.Checkpoint)},{row.Step},{R(row.Target)},{R(loo)},{R(row.Target - loo)},{R(report.Fit.Predict(row.Features))}"));
        }
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string N(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

}
