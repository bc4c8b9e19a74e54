using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Output;
using ProbeGrid.GrainsInterfaces.Results;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid regress --sweep ID... --layer NAME [--feature METRIC]... [--target METRIC] [--checkpoint NAME] [--ridge λ]
/// [--splits N] [--test-share S] [--seed S] [--out DIR]</c>: the feature-complexity paper's Exp. 6. One network per
/// sweep; a linear regressor from its complexity features to its test loss, cross-validated by repeated random
/// splits and by leave-one-out (<see cref="PerformanceRegressor"/>).
/// </summary>
public static class RegressCommand
{
    private static readonly Option<string[]> Sweeps = new("--sweep") { Description = "sweep id, one network each (repeatable)", Required = true };
    private static readonly Option<string> Layer = new("--layer") { Description = "the layer whose metrics are the features and target", Required = true };
    private static readonly Option<string[]> Features = new("--feature")
    {
        Description = "feature metric (repeatable; default: complexity.significance.l<o> and complexity.reliability.l<o> for the 4 lowest orders in the first sweep)",
    };
    private static readonly Option<string> Target = new("--target") { Description = "the metric to predict", DefaultValueFactory = _ => MetricNames.ComplexityLossTest };
    private static readonly Option<string?> Checkpoint = new("--checkpoint") { Description = "the checkpoint in every sweep (default: each sweep's last by step)" };
    private static readonly Option<double> Ridge = new("--ridge") { Description = "ridge penalty λ ≥ 0 on the standardised slopes (0: least squares)", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> Splits = new("--splits") { Description = "random train/test splits", DefaultValueFactory = _ => 1000 };
    private static readonly Option<double> TestShare = new("--test-share") { Description = "share of networks each random split holds out", DefaultValueFactory = _ => 0.2 };
    private static readonly Option<int> Seed = new("--seed") { Description = "seeds the random splits", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> Out = new("--out") { Description = $"folder to write {RegressionOutputs.JsonFile} and {RegressionOutputs.CsvFile} to" };

    public static Command Build()
    {
        var command = new Command("regress", "Predict each network's test loss from its complexity features (the paper's Exp. 6), cross-validated");
        foreach (var option in new Option[] { Sweeps, Layer, Features, Target, Checkpoint, Ridge, Splits, TestShare, Seed, Out }) command.Options.Add(option);
        command.SetAction((result, ct) => GridCommand.RunAsync(result, "regress", ct, async (session, logger) =>
        {
            var client = session.Client;
            var ids = result.GetValue(Sweeps) ?? [];
            var layer = result.GetValue(Layer)!;
            var ridge = result.GetValue(Ridge);
            var splits = result.GetValue(Splits);
            var testShare = result.GetValue(TestShare);
            var seed = result.GetValue(Seed);
            var problems = new List<string>();
            if (!(double.IsFinite(ridge) && ridge >= 0)) problems.Add($"--ridge {ridge} must be a number ≥ 0");
            if (splits < 1) problems.Add($"--splits {splits} must be at least 1");
            if (!(testShare > 0 && testShare < 1)) problems.Add($"--test-share {testShare} must be between 0 and 1 (exclusive), e.g. 0.2");
            foreach (var twice in ids.GroupBy(i => i).Where(g => g.Count() > 1)) problems.Add($"--sweep '{twice.Key}' is given {twice.Count()} times: one network per sweep, name each once");
            var sweeps = new List<(string, IReadOnlyList<MetricValue>)>();
            foreach (var id in ids.Distinct())
            {
                if (await client.GetSpecAsync(id) is null) problems.Add($"no sweep '{id}' in this state folder; `probegrid status` lists the sweeps there");
                else sweeps.Add((id, await client.GetResultsAsync(id)));
            }
            if (problems.Count > 0) return Refuse(logger, problems);

            var features = result.GetValue(Features) is { Length: > 0 } named ? named : RegressionTable.DefaultFeatures(sweeps[0].Item2, layer);
            if (features.Count == 0)
                return Refuse(logger, [$"sweep '{ids[0]}' has no {MetricNames.ComplexitySignificance}.l<order> at layer '{layer}' to take the default features from: run the complexity analysis at that layer, or name the features with --feature"]);
            if (features.Count < 2 * RegressionTable.DefaultOrders && result.GetValue(Features) is not { Length: > 0 })
                logger.LogWarning("Sweep {SweepId} has fewer than {Orders} orders at layer {Layer}: regressing on {Features}", ids[0], RegressionTable.DefaultOrders, layer, string.Join(", ", features));
            var table = RegressionTable.Build(sweeps, layer, features, result.GetValue(Target)!, result.GetValue(Checkpoint), problems);
            if (table is null) return Refuse(logger, problems);

            RegressionReport report;
            try
            {
                report = PerformanceRegressor.Evaluate(table.X, table.Y, ridge, splits, testShare, seed, table.Features);
            }
            catch (ArgumentException e)
            {
                return Refuse(logger, [$"cannot regress {table.Target} on {string.Join(", ", table.Features)} over {table.Rows.Count} sweep(s): {e.Message.Split(" (Parameter")[0]}"]);
            }

            Console.Out.Write(RegressionOutputs.Summary(table, report));
            if (result.GetValue(Out) is { } outDir)
            {
                var folder = Path.GetFullPath(outDir);
                Directory.CreateDirectory(folder);
                await File.WriteAllTextAsync(Path.Combine(folder, RegressionOutputs.JsonFile), RegressionOutputs.Json(table, report, testShare, seed), ct);
                await using (var writer = new StreamWriter(Path.Combine(folder, RegressionOutputs.CsvFile)))
                    RegressionOutputs.WriteCsv(writer, table, report);
                logger.LogInformation("Wrote {Json} and {Csv} to {Folder}", RegressionOutputs.JsonFile, RegressionOutputs.CsvFile, folder);
            }
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int Refuse(ILogger logger, IEnumerable<string> problems)
    {
        foreach (var p in problems) logger.LogError("{Problem}", p);
        return ExitCodes.BadInput;
    }
}
