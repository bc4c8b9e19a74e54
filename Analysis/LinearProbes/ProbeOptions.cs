namespace ProbeGrid.Analysis.LinearProbes;

/// <summary>
/// How probes are trained. RMSProp is the paper's choice; Adam is common; SGD with momentum is
/// how the Wasserstein paper trains its internal classifiers; L-BFGS solves the
/// convex problem full-batch (one epoch = <see cref="ProbeTrainer.LbfgsIterationsPerEpoch"/> L-BFGS iterations with a backtracking line search;
/// learning rate and batch size do not apply to it).
/// </summary>
public sealed record ProbeOptions
{
    public const string RmsProp = "rmsprop";
    public const string Adam = "adam";
    public const string Sgd = "sgd";
    public const string Lbfgs = "lbfgs";

    /// <summary>The convex problem solved to its optimum on standardised features with an L2 grid (<see cref="ConvexProbeSolver"/>); the other fields but the seed do not apply.</summary>
    public const string Optimal = "optimal";

    public static IReadOnlyList<string> Optimizers { get; } = [RmsProp, Adam, Sgd, Lbfgs, Optimal];

    public string Optimizer { get; init; } = RmsProp;

    public double LearningRate { get; init; } = 1e-3;

    public int BatchSize { get; init; } = 128;

    /// <summary>Momentum of sgd and rmsprop (adam keeps its own moments; L-BFGS has none).</summary>
    public double Momentum { get; init; }

    public int MaxEpochs { get; init; } = 50;

    /// <summary>Stop a layer's probe after this many epochs without a better validation loss.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>An epoch counts as better only if it lowers the validation loss by more than this.</summary>
    public double MinDelta { get; init; }

    /// <summary>L2 penalty ½·λ·‖W‖² added to each probe's loss (bias not penalised).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Seeds the minibatch order.</summary>
    public long Seed { get; init; }

    /// <summary>Every problem, each naming the parameter and the accepted values.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Optimizers.Contains(Optimizer)) problems.Add($"optimizer '{Optimizer}' is not supported: use {string.Join(", ", Optimizers)}");
        if (!(LearningRate > 0 && double.IsFinite(LearningRate))) problems.Add($"learningRate {LearningRate} must be a positive number");
        if (BatchSize < 1) problems.Add($"batchSize {BatchSize} must be at least 1");
        if (!(Momentum >= 0 && Momentum < 1)) problems.Add($"momentum {Momentum} must be in [0, 1)");
        else if (Momentum > 0 && Optimizer is Adam or Lbfgs or Optimal) problems.Add($"momentum applies to sgd and rmsprop, not {Optimizer}: leave it out or change the optimizer");
        if (MaxEpochs < 1) problems.Add($"maxEpochs {MaxEpochs} must be at least 1");
        if (Patience < 1) problems.Add($"patience {Patience} must be at least 1");
        if (!(MinDelta >= 0 && double.IsFinite(MinDelta))) problems.Add($"minDelta {MinDelta} must be zero or positive");
        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay))) problems.Add($"weightDecay {WeightDecay} must be zero or positive");
        return problems;
    }
}
