namespace ProbeGrid.Analysis.Training;

/// <summary>How <see cref="ModelTrainer"/> trains a zoo model and how often it checkpoints.</summary>
public sealed record TrainingOptions
{
    public const string Adam = "adam";
    public const string Sgd = "sgd";
    public const string RmsProp = "rmsprop";

    public static IReadOnlyList<string> Optimizers { get; } = [Adam, Sgd, RmsProp];

    /// <summary>Total optimisation steps (one mini-batch each). A resumed run counts the steps already done.</summary>
    public long Steps { get; init; }

    public int BatchSize { get; init; } = 128;

    /// <summary>"adam", "sgd" or "rmsprop" (the probe paper's choice).</summary>
    public string Optimizer { get; init; } = Adam;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Momentum for sgd and rmsprop; adam has its own moments and takes none.</summary>
    public double Momentum { get; init; }

    /// <summary>
    /// L2 penalty coefficient added to each gradient (PyTorch's weight_decay; the Wasserstein paper
    /// trains with sgd, lr 0.01, momentum 0.9, weight decay 1e-4); 0 = none.
    /// </summary>
    public double WeightDecay { get; init; }

    /// <summary>Checkpoint every this many steps; 0 = off.</summary>
    public long CheckpointEverySteps { get; init; }

    /// <summary>Checkpoint every this many minutes of wall clock (the paper's "hourly checkpoints"); 0 = off.</summary>
    public double CheckpointEveryMinutes { get; init; }

    /// <summary>Seeds the data order (each epoch's shuffle derives from Seed and the epoch number).</summary>
    public long Seed { get; init; }

    /// <summary>Every problem with the options, each naming the field and the allowed values; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Steps < 1)
            problems.Add($"TrainingOptions.Steps = {Steps}: must be at least 1.");
        if (BatchSize < 1)
            problems.Add($"TrainingOptions.BatchSize = {BatchSize}: must be at least 1.");
        if (!Optimizers.Contains(Optimizer))
            problems.Add($"TrainingOptions.Optimizer = '{Optimizer}': allowed: {string.Join(", ", Optimizers)}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            problems.Add($"TrainingOptions.LearningRate = {LearningRate}: must be a positive finite number.");
        if (!(Momentum >= 0 && Momentum < 1))
            problems.Add($"TrainingOptions.Momentum = {Momentum}: must be in [0, 1).");
        else if (Momentum != 0 && Optimizer == Adam)
            problems.Add($"TrainingOptions.Momentum = {Momentum}: adam takes no momentum; use sgd or rmsprop, or set it to 0.");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            problems.Add($"TrainingOptions.WeightDecay = {WeightDecay}: must be 0 (none) or a positive finite number (e.g. 1e-4).");
        if (CheckpointEverySteps < 0)
            problems.Add($"TrainingOptions.CheckpointEverySteps = {CheckpointEverySteps}: must be 0 (off) or positive.");
        if (!(CheckpointEveryMinutes >= 0) || double.IsInfinity(CheckpointEveryMinutes))
            problems.Add($"TrainingOptions.CheckpointEveryMinutes = {CheckpointEveryMinutes}: must be 0 (off) or a positive finite number.");
        return problems;
    }
}
