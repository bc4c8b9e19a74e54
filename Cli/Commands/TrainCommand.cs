using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Training;
using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Cli.Grid;
using ProbeGrid.Cli.Logging;
using ProbeGrid.Cli.Output;
using ProbeGrid.Client;
using ProbeGrid.GrainsInterfaces.Specs;
using ProbeGrid.Silo.Hosting;
using ProbeGrid.Silo.Storage;

namespace ProbeGrid.Cli.Commands;

/// <summary>
/// <c>probegrid train</c>: trains a zoo model and writes checkpoints every N steps and/or T
/// minutes with an index, so a sweep can take them in training order. Re-running with the same
/// --out continues from the last checkpoint. With --analyse SPEC a sweep follows the run as it
/// trains (on the embedded grid in this process, or submitted to --cluster), so one command trains
/// and analyses live.
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
    private static readonly Option<string?> Analyse = new("--analyse")
    {
        Description = "a sweep spec to run alongside, following this run: each checkpoint is analysed as it lands (embedded grid, or --cluster); " +
                      "its model.checkpoints may be left out (the --out folder is used)",
    };
    private static readonly Option<string?> AnalyseOut = new("--analyse-out") { Description = "with --analyse: output folder for results.csv and plots (default out/<sweep id>)" };

    public static Command Build()
    {
        var command = new Command("train", "Train a zoo model, writing checkpoints and their index (and, with --analyse SPEC, analyse them as they land)");
        foreach (var option in new Option[] { Model, Param, Dataset, DatasetParam, Steps, BatchSize, Optimizer, LearningRate, Momentum, WeightDecay, EverySteps, EveryMinutes, Seed, Out, Analyse, AnalyseOut })
            command.Options.Add(option);
        command.SetAction(Execute);
        return command;
    }

    private static async Task<int> Execute(ParseResult result, CancellationToken ct)
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
            SweepSpec? spec = null;
            string? sweepId = null;
            if (result.GetValue(Analyse) is { } specPath && !TryReadAnalysis(specPath, folder, logger, out spec, out sweepId))
                return ExitCodes.BadInput;
            var descriptor = new ModelDescriptor(architecture, parameters, data.SampleShape, data.ClassCount, seed, datasetName, data.TargetShape);
            using var model = ModelZoo.Create(architecture, parameters, data.SampleShape, data.ClassCount, seed, data.TargetShape);
            logger.LogInformation("Training {Architecture} on {Dataset} ({Samples} samples) for {Steps} steps -> {Folder}",
                architecture, datasetName, data.Train.Count, options.Steps, folder);
            var firstCheckpoint = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            // A bar on a terminal; log lines without one, or while a following sweep shows its own bar.
            var progress = new TrainingProgressView(options.BatchSize, logger, allowBar: spec is null, p =>
            {
                if (p.CheckpointWritten is not null) firstCheckpoint.TrySetResult();
            });
            // Training runs on a thread of its own; a sweep that follows it runs on the grid meanwhile.
            var training = Task.Run(() => ModelTrainer.Train(model, data.Train, options, folder, descriptor, ct, progress), CancellationToken.None);
            var analysed = ExitCodes.Success;
            if (spec is not null)
            {
                // Its first checkpoint (or a resumed run's model.json and index) is there before the sweep is planned.
                if (CheckpointIndex.TryLoad(folder) is null) await Task.WhenAny(firstCheckpoint.Task, training);
                // A finished run continued for more steps: its old finished mark goes first, or the sweep would stop following at once.
                while (!training.IsCompleted && CheckpointIndex.TryLoad(folder)?.Finished == true) await Task.Delay(100, CancellationToken.None);
                if (!training.IsFaulted || ModelDescriptor.TryLoad(folder) is not null)
                    analysed = await AnalyseAlongside(result, spec, sweepId!, state, training, logger, ct);
            }
            var report = await progress.ShowUntil(training);
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
                return analysed;
            }
            // Multi-label data counts a sample right only when its whole label set is (sigmoid > 0.5 exactly on its classes).
            logger.LogInformation("Validation accuracy {Accuracy:P2} on {Samples} samples ({Kind})",
                ClassificationAccuracy.Of(model, data.Validation, options.BatchSize), data.Validation.Count,
                data.Validation.IsMultiLabel ? "exact label set at sigmoid 0.5" : "arg-max class");
            return analysed;
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

    /// <summary>
    /// The --analyse spec, made to follow this run: its model.checkpoints is the --out folder (filled in when left out; a
    /// different folder is refused, naming both).
    /// </summary>
    private static bool TryReadAnalysis(string specPath, string folder, ILogger logger, [NotNullWhen(true)] out SweepSpec? spec, [NotNullWhen(true)] out string? sweepId)
    {
        if (!SpecFile.TryRead(specPath, logger, null, out spec, out sweepId, follow: true, checkpoints: folder)) return false;
        // Relative paths in a spec are the submitting command's working folder's (SpecPaths), as --out is.
        if (Path.GetFullPath(spec.Model.Checkpoints!).TrimEnd('/') == folder.TrimEnd('/')) return true;
        logger.LogError("--analyse {Spec}: its model.checkpoints '{Named}' is not the folder this run writes (--out {Folder}): " +
                        "leave model.checkpoints out of the spec (the --out folder is used), or give both the same folder", specPath, spec.Model.Checkpoints, folder);
        (spec, sweepId) = (null, null);
        return false;
    }

    /// <summary>Runs the following sweep on the grid (embedded in this process, or --cluster) until it completes, which the run's end brings about.</summary>
    private static async Task<int> AnalyseAlongside(ParseResult result, SweepSpec spec, string sweepId, string state, Task training, ILogger logger, CancellationToken ct)
    {
        try
        {
            Console.Out.WriteLine(sweepId);
            await using var session = await GridSession.OpenAsync(result, ct);
            return await RunCommand.RunAsync(session, spec, sweepId, result.GetValue(AnalyseOut), state, logger, ct, training);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogWarning("Interrupted: the checkpoints and the analysed units are saved; run the same command again to continue both");
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (GridErrors.IsReported(e))
        {
            return GridErrors.Report(e, logger);
        }
        catch (ClusterUnreachableException e)
        {
            logger.LogError("{Message}", e.Message);
            return ExitCodes.BadInput;
        }
    }
}
