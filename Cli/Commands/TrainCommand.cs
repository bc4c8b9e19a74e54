using System.CommandLine;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Cli.Logging;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid train</c>: trains a zoo model and writes checkpoints every N steps and/or T
/// minutes with an index, so a sweep can take them in training order. Re-running with the same
/// --out continues from the last checkpoint.
/// </summary>
public static class TrainCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "zoo architecture: " + string.Join(", ", ModelZoo.Architectures), Required = true };
    private static readonly Option<string[]> Param = new("--param") { Description = "model parameter name=value (repeatable), e.g. --param depth=8" };
    private static readonly Option<string> Dataset = new("--dataset") { Description = "data set: " + string.Join(", ", DatasetCatalog.Names), DefaultValueFactory = _ => "fashion-mnist" };
    private static readonly Option<string[]> DatasetParam = new("--dataset-param") { Description = "data set parameter name=value (repeatable), e.g. --dataset-param trainCount=20000" };
    private static readonly Option<int> Steps = new("--steps") { Description = "training steps (minibatches)", Required = true };
    private static readonly Option<int> BatchSize = new("--batch-size") { DefaultValueFactory = _ => 128 };
    private static readonly Option<string> Optimizer = new("--optimizer") { Description = "adam, sgd or rmsprop", DefaultValueFactory = _ => "adam" };
    private static readonly Option<double> LearningRate = new("--lr") { DefaultValueFactory = _ => 1e-3 };
    private static readonly Option<double> Momentum = new("--momentum") { Description = "momentum for sgd and rmsprop (the Wasserstein paper: sgd, --lr 0.01, --momentum 0.9)" };
    private static readonly Option<double> WeightDecay = new("--weight-decay") { Description = "L2 weight decay (the Wasserstein paper: 1e-4; 0: none)" };
    private static readonly Option<int> EverySteps = new("--checkpoint-every-steps") { Description = "write a checkpoint every N steps (0: off)" };
    private static readonly Option<double> EveryMinutes = new("--checkpoint-every-minutes") { Description = "write a checkpoint every T minutes of training (0: off)" };
    private static readonly Option<long> Seed = new("--seed") { Description = "seeds the initial weights, the data split and the data order" };
    private static readonly Option<string> Out = new("--out") { Description = "checkpoint folder (created; re-use it to resume)", Required = true };

    public static Command Build()
    {
        var command = new Command("train", "Train a zoo model, writing checkpoints and their index");
        foreach (var option in new Option[] { Model, Param, Dataset, DatasetParam, Steps, BatchSize, Optimizer, LearningRate, Momentum, WeightDecay, EverySteps, EveryMinutes, Seed, Out })
            command.Options.Add(option);
        command.SetAction((result, ct) => Task.Run(() => Execute(result, ct), ct));
        return command;
    }

    private static int Execute(ParseResult result, CancellationToken ct)
    {
        var state = GlobalOptions.StateFolder(result);
        using var loggers = LogSetup.Create(result.GetValue(GlobalOptions.LogLevel), Path.Combine(state, "logs"));
        var logger = loggers.CreateLogger("probegrid.train");
        try
        {
            var architecture = result.GetValue(Model)!;
            var parameters = KeyValueParser.Parse(result.GetValue(Param), "--param");
            var datasetName = result.GetValue(Dataset)!;
            var datasetParameters = KeyValueParser.Parse(result.GetValue(DatasetParam), "--dataset-param");
            var seed = result.GetValue(Seed);

            var problems = DatasetCatalog.Validate(datasetName, datasetParameters).Select(p => "--dataset: " + p).ToList();
            if (problems.Count == 0)
                problems.AddRange(ModelZoo.Validate(architecture, parameters, DatasetCatalog.SampleShape(datasetName, datasetParameters),
                    DatasetCatalog.TargetShape(datasetName, datasetParameters)).Select(p => "--model: " + p));
            if (problems.Count > 0)
            {
                foreach (var p in problems) logger.LogError("{Problem}", p);
                return ExitCodes.BadInput;
            }

            var data = DatasetCatalog.Load(datasetName, datasetParameters, seed);
            var options = new TrainingOptions
            {
                Steps = result.GetValue(Steps),
                BatchSize = result.GetValue(BatchSize),
                Optimizer = result.GetValue(Optimizer)!,
                LearningRate = result.GetValue(LearningRate),
                Momentum = result.GetValue(Momentum),
                WeightDecay = result.GetValue(WeightDecay),
                CheckpointEverySteps = result.GetValue(EverySteps),
                CheckpointEveryMinutes = result.GetValue(EveryMinutes),
                Seed = seed,
            };
            var folder = Path.GetFullPath(result.GetValue(Out)!);
            var descriptor = new ModelDescriptor(architecture, parameters, data.SampleShape, data.ClassCount, seed, datasetName, data.TargetShape);
            using var model = ModelZoo.Create(architecture, parameters, data.SampleShape, data.ClassCount, seed, data.TargetShape);
            logger.LogInformation("Training {Architecture} on {Dataset} ({Samples} samples) for {Steps} steps -> {Folder}",
                architecture, datasetName, data.Train.Count, options.Steps, folder);
            var progress = new Progress<TrainingProgress>(p => logger.LogInformation("{Progress}", p));
            var report = ModelTrainer.Train(model, data.Train, options, folder, descriptor, ct, progress);
            if (report.Cancelled)
            {
                logger.LogWarning("Interrupted at step {Step} of {Steps}: the checkpoint there is saved; run the same command again to continue", report.FinalStep, report.TargetSteps);
                return ExitCodes.Interrupted;
            }
            logger.LogInformation("Trained steps {Start}..{Final} in {Elapsed}{Resumed}; {Written} checkpoint(s) written; last train loss {Loss:F4}",
                report.StartStep, report.FinalStep, report.Elapsed, report.Resumed ? " (resumed)" : "", report.CheckpointsWritten.Count, report.LastTrainLoss);
            if (data.Validation.IsRegression)
            {
                // Accuracy has no meaning for regression targets: report the task loss itself.
                logger.LogInformation("Validation MSE {Mse:G6} on {Samples} samples (mean over samples and {Values} output values)",
                    RegressionError.MeanSquaredError(model, data.Validation, options.BatchSize), data.Validation.Count, data.Validation.TargetSize);
                return ExitCodes.Success;
            }
            // Multi-label data counts a sample right only when its whole label set is (sigmoid > 0.5 exactly on its classes).
            logger.LogInformation("Validation accuracy {Accuracy:P2} on {Samples} samples ({Kind})",
                ClassificationAccuracy.Of(model, data.Validation, options.BatchSize), data.Validation.Count,
                data.Validation.IsMultiLabel ? "exact label set at sigmoid 0.5" : "arg-max class");
            return ExitCodes.Success;
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Interrupted: the last checkpoint is saved; run the same command again to continue");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is ArgumentException or CheckpointException or IOException or InvalidOperationException)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.BadInput;
        }
    }
}
