using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ProbeGrid.Analysis.Checkpoints;
using ProbeGrid.Analysis.Data;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Training;

/// <summary>
/// One call of <see cref="ModelTrainer.Train"/>: the optimizer, the data order and the bookkeeping
/// of where the run stands, from its start (or resume point) to its last checkpoint.
/// </summary>
internal sealed partial class TrainingRun : IDisposable
{
    private readonly TappedModel model;
    private readonly LabeledData train;
    private readonly TrainingOptions options;
    private readonly string folder;
    private readonly IProgress<TrainingProgress>? progress;
    private readonly OptimizerHelper optimizer;
    private readonly BatchSchedule schedule;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Stopwatch sinceCheckpoint = new();
    private readonly List<CheckpointIndexEntry> written = [];
    private readonly long reportEvery;
    private readonly Device device;

    private double checkpointLossSum;
    private long checkpointLossCount;
    private double reportLossSum;
    private long reportLossCount;
    private long lastCheckpointStep = -1;
    private string? lastOptimizerStateFile;
    private double? lastTrainLoss;

    public TrainingRun(TappedModel model, LabeledData train, TrainingOptions options, string folder, IProgress<TrainingProgress>? progress)
    {
        this.model = model;
        this.train = train;
        this.options = options;
        this.folder = folder;
        this.progress = progress;
        optimizer = CreateOptimizer(model, options);
        schedule = new BatchSchedule(train.Count, options.BatchSize, options.Seed);
        reportEvery = Math.Max(1, options.Steps / 100);
        device = model.parameters().First().device;
    }

    /// <summary>Frees the optimizer's native state (its moment tensors); the model is the caller's.</summary>
    public void Dispose() => optimizer.Dispose();

    public TrainingReport Execute(CancellationToken ct)
    {
        var resume = ResumePoint.TryLoad(folder);
        long step;
        if (resume is not null)
        {
            RestoreFrom(resume);
            step = resume.Step;
            DiscardAfter(step);
            lastCheckpointStep = step;
            lastOptimizerStateFile = resume.OptimizerStateFile;
            sinceCheckpoint.Start();
        }
        else
        {
            step = 0;
            DiscardAfter(-1);
            WriteCheckpoint(0);
        }
        var startStep = step;
        model.train();

        var cancelled = false;
        while (step < options.Steps)
        {
            if (ct.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            TrainStep(step);
            step++;
            var dueBySteps = options.CheckpointEverySteps > 0 && step % options.CheckpointEverySteps == 0;
            var dueByTime = options.CheckpointEveryMinutes > 0 && sinceCheckpoint.Elapsed.TotalMinutes >= options.CheckpointEveryMinutes;
            if (dueBySteps || dueByTime || step == options.Steps)
                WriteCheckpoint(step);
            else if (step % reportEvery == 0)
                Report(step, checkpoint: null);
        }
        if (step != lastCheckpointStep)
            WriteCheckpoint(step);
        // The last checkpoint is listed: tell the sweeps that follow this run that no more will come.
        if (!cancelled)
            CheckpointIndex.MarkFinished(folder, DateTime.UtcNow);

        return new TrainingReport(startStep, step, options.Steps, resume is not null, cancelled, written, lastTrainLoss, clock.Elapsed);
    }

    private void TrainStep(long step)
    {
        using var scope = torch.NewDisposeScope();
        var (inputs, labels) = Batch(step);
        optimizer.zero_grad();
        var loss = model.TrainingLoss(inputs, labels);
        loss.backward();
        optimizer.step();
        var value = loss.item<float>();
        if (!float.IsFinite(value))
            throw new InvalidOperationException(
                $"Training loss became {value} at step {step + 1}; the checkpoints up to step {lastCheckpointStep} in '{folder}' are valid. Lower TrainingOptions.LearningRate (now {options.LearningRate}) and train into a new folder.");
        checkpointLossSum += value;
        checkpointLossCount++;
        reportLossSum += value;
        reportLossCount++;
    }

    /// <summary>
    /// The step's inputs and targets: class indices (int64) for single-label data, multi-hot rows
    /// (float [N, classes]) for multi-label data, which makes <see cref="TappedModel.TrainingLoss"/> use binary cross-entropy,
    /// and regression rows (float [N, ..TargetShape]) for regression data, which a regressor fits by MSE.
    /// </summary>
    private (Tensor Inputs, Tensor Labels) Batch(long step)
    {
        var indices = schedule.Indices(step);
        var sampleSize = train.SampleSize;
        var inputs = new float[indices.Length * sampleSize];
        for (var i = 0; i < indices.Length; i++)
            Array.Copy(train.Inputs, indices[i] * sampleSize, inputs, (long)i * sampleSize, sampleSize);
        var x = torch.tensor(inputs, [indices.Length, .. train.SampleShape]).to(device);
        return (x, Targets(indices).to(device));
    }

    private Tensor Targets(ReadOnlySpan<long> indices)
    {
        if (train.Targets is { } targets)
        {
            var size = train.TargetSize;
            var rows = new float[indices.Length * size];
            for (var i = 0; i < indices.Length; i++)
                Array.Copy(targets, indices[i] * size, rows, (long)i * size, size);
            return torch.tensor(rows, [indices.Length, .. train.TargetShape!]);
        }
        if (train.LabelSets is { } labelSets)
        {
            var classes = train.ClassCount;
            var rows = new float[indices.Length * classes];
            for (var i = 0; i < indices.Length; i++)
                Array.Copy(labelSets, indices[i] * classes, rows, (long)i * classes, classes);
            return torch.tensor(rows, [indices.Length, classes]);
        }
        var labels = new long[indices.Length];
        for (var i = 0; i < indices.Length; i++)
            labels[i] = train.Labels[indices[i]];
        return torch.tensor(labels, ScalarType.Int64);
    }

    /// <summary>
    /// Writes the weights, then the optimizer state, then the index entry, then resume.json; a
    /// kill between any two leaves resume.json naming the previous complete pair. Each file is written
    /// whole and flushed (file and folder) before the index lists it, so a sweep following the run never
    /// reads a checkpoint half-written.
    /// </summary>
    private void WriteCheckpoint(long step)
    {
        var checkpointFile = ModelTrainer.CheckpointFileName(step);
        CheckpointFile.Save(model, Path.Combine(folder, checkpointFile));

        var optimizerStateFile = $"optimizer-step-{step.ToString("D7", CultureInfo.InvariantCulture)}.bin";
        AtomicFile.Write(Path.Combine(folder, optimizerStateFile), stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
            writer.Flush();
        });

        double? meanLoss = checkpointLossCount > 0 ? checkpointLossSum / checkpointLossCount : null;
        var entry = new CheckpointIndexEntry(step, checkpointFile, DateTime.UtcNow, meanLoss);
        CheckpointIndex.Append(folder, entry);
        ResumePoint.For(step, checkpointFile, optimizerStateFile, options).Save(folder);

        if (lastOptimizerStateFile is not null && lastOptimizerStateFile != optimizerStateFile)
            File.Delete(Path.Combine(folder, lastOptimizerStateFile));
        lastOptimizerStateFile = optimizerStateFile;
        lastCheckpointStep = step;
        if (meanLoss is not null)
            lastTrainLoss = meanLoss;
        checkpointLossSum = 0;
        checkpointLossCount = 0;
        written.Add(entry);
        sinceCheckpoint.Restart();
        Report(step, checkpointFile);
    }

    private void Report(long step, string? checkpoint)
    {
        double? meanLoss = reportLossCount > 0 ? reportLossSum / reportLossCount : null;
        reportLossSum = 0;
        reportLossCount = 0;
        progress?.Report(new TrainingProgress(step, options.Steps, meanLoss, clock.Elapsed, checkpoint));
    }

    private void RestoreFrom(ResumePoint resume)
    {
        var differences = resume.DifferencesFrom(options);
        if (differences.Count > 0)
            throw new CheckpointException(folder, [.. differences.Select(d => $"resume.json was written with other training options: {d}.")],
                "Re-run with the original options to continue that run, or train into a new folder.");
        var optimizerState = Path.Combine(folder, resume.OptimizerStateFile);
        if (!File.Exists(optimizerState))
            throw new CheckpointException(optimizerState, $"the optimizer state of step {resume.Step} is missing, so the run cannot continue exactly.",
                "Restore the file, or delete resume.json to restart training from step 0 in this folder.");
        CheckpointFile.Load(model, Path.Combine(folder, resume.CheckpointFile));
        using var stream = File.OpenRead(optimizerState);
        using var reader = new BinaryReader(stream);
        optimizer.load_state_dict(reader);
    }

    /// <summary>
    /// Forgets what an interrupted run wrote after <paramref name="step"/> (its index entries, and
    /// its own step-*.pt / optimizer-step-*.bin files): the continued run writes them again.
    /// </summary>
    private void DiscardAfter(long step)
    {
        if (CheckpointIndex.TryLoad(folder) is not null)
            CheckpointIndex.RemoveAfter(folder, step);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var match = OwnFile().Match(Path.GetFileName(file));
            if (match.Success && long.Parse(match.Groups["step"].Value, CultureInfo.InvariantCulture) > step)
                File.Delete(file);
        }
    }

    private static OptimizerHelper CreateOptimizer(TappedModel model, TrainingOptions options) => options.Optimizer switch
    {
        TrainingOptions.Adam => torch.optim.Adam(model.parameters(), options.LearningRate, weight_decay: options.WeightDecay),
        TrainingOptions.Sgd => torch.optim.SGD(model.parameters(), options.LearningRate, options.Momentum, weight_decay: options.WeightDecay),
        TrainingOptions.RmsProp => torch.optim.RMSProp(model.parameters(), options.LearningRate, momentum: options.Momentum, weight_decay: options.WeightDecay),
        _ => throw new ArgumentException($"TrainingOptions.Optimizer = '{options.Optimizer}': allowed: {string.Join(", ", TrainingOptions.Optimizers)}."),
    };

    [GeneratedRegex(@"^(step|optimizer-step)-(?<step>\d+)\.(pt|bin)$")]
    private static partial Regex OwnFile();
}
