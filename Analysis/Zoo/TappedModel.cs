using ProbeGrid.Analysis.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// Receives the activation at a named tap during a forward pass. The tensor is the model's own: a sink that keeps it
/// past the call must take an alias or a copy (and a model whose later layers work in place reports a copy).
/// </summary>
public delegate void TapSink(string tap, Tensor activation);

/// <summary>
/// A zoo network whose probe points are named explicitly. TorchSharp forward hooks fire only
/// through <c>module.call</c>, so instead every model reports its taps to a <see cref="TapSink"/>
/// while it runs.
/// </summary>
public abstract class TappedModel : nn.Module<Tensor, Tensor>
{
    protected TappedModel(string name) : base(name) { }

    /// <summary>Stable tap names in forward order; the first is always "input". Every name a sweep may list in "layers".</summary>
    public abstract IReadOnlyList<string> TapNames { get; }

    /// <summary>Runs the network on <paramref name="x"/>, reporting every tap to <paramref name="sink"/>; returns logits.</summary>
    public abstract Tensor Forward(Tensor x, TapSink? sink);

    /// <summary>
    /// Runs the network on <paramref name="x"/>, reporting only <paramref name="taps"/> (null: every tap) to
    /// <paramref name="sink"/>; returns logits. A network with many taps (a module tree with hooks) overrides it to
    /// capture only what is asked for.
    /// </summary>
    public virtual Tensor Forward(Tensor x, TapSink? sink, IReadOnlySet<string>? taps) =>
        Forward(x, sink is null || taps is null ? sink : (tap, activation) =>
        {
            if (taps.Contains(tap)) sink(tap, activation);
        });

    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>
    /// Runs the layers above <paramref name="tap"/> on <paramref name="feature"/> (shape [N, ..the
    /// tap's shape], what <see cref="Forward"/> reports there) and returns the logits, so that
    /// <c>ForwardFrom(t, activation of t on x)</c> equals <c>Forward(x)</c>. This is the "upper
    /// network" of the feature-complexity analysis, which feeds a layer's feature components to it.
    /// "input" runs the whole network; "logits" returns the feature (an alias of it, so disposing
    /// the result leaves the caller's tensor alone). Auxiliary heads are not on the way to the logits
    /// and do not run.
    /// </summary>
    /// <exception cref="ArgumentException">The tap is unknown, or the network cannot start there (see <see cref="ForwardFromTaps"/>).</exception>
    public abstract Tensor ForwardFrom(string tap, Tensor feature);

    /// <summary>
    /// The kind of target the architecture's output is trained against, where the architecture fixes
    /// it: <see cref="TargetKind.Regression"/> for a network that outputs a real-valued tensor (MSE).
    /// Null for classifiers, whose logits take class indices (int64) or label sets (floating point).
    /// </summary>
    public virtual TargetKind? OutputKind => null;

    /// <summary>
    /// This network's task loss of <paramref name="output"/> against <paramref name="targets"/>, averaged
    /// over the batch: MSE for a regressor (<see cref="OutputKind"/>), else <see cref="Objective(Tensor, Tensor)"/>.
    /// </summary>
    public Tensor Loss(Tensor output, Tensor targets) =>
        OutputKind is { } kind ? Objective(output, targets, kind) : Objective(output, targets);

    /// <summary>The per-sample task loss ([N]) whose batch mean is <see cref="Loss"/>.</summary>
    public Tensor PerSampleLoss(Tensor output, Tensor targets) =>
        OutputKind is { } kind ? PerSampleObjective(output, targets, kind) : PerSampleObjective(output, targets);

    /// <summary>The taps <see cref="ForwardFrom"/> can start at, in forward order: all of them unless a skip connection jumps over a tap.</summary>
    public virtual IReadOnlyList<string> ForwardFromTaps => TapNames;

    /// <summary>
    /// The task loss (<see cref="Loss"/>, auxiliary heads left out) of the network run from
    /// <paramref name="tap"/> on <paramref name="feature"/>, averaged over the batch: for a regressor
    /// the MSE to <paramref name="labels"/> (the regression targets, [N, ..output shape]).
    /// </summary>
    public Tensor LossFrom(string tap, Tensor feature, Tensor labels)
    {
        using var logits = ForwardFrom(tap, feature);
        return Loss(logits, labels);
    }

    /// <summary>
    /// The task loss of every sample ([N], see <see cref="PerSampleLoss"/>) of the network run
    /// from <paramref name="tap"/>: the Shapley games of the feature-complexity analysis average it
    /// over their own sample sets. For a regressor, each sample's mean squared error.
    /// </summary>
    public Tensor PerSampleLossFrom(string tap, Tensor feature, Tensor labels)
    {
        using var logits = ForwardFrom(tap, feature);
        return PerSampleLoss(logits, labels);
    }

    /// <summary>
    /// The index of <paramref name="tap"/> in <see cref="TapNames"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The tap is unknown; the message lists the known ones.</exception>
    protected int TapIndex(string tap)
    {
        var names = TapNames;
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], tap, StringComparison.Ordinal))
                return i;
        }
        throw new ArgumentException($"{GetName()} has no tap '{tap}'; its taps: {string.Join(", ", names)}.", nameof(tap));
    }

    /// <summary>
    /// The shape of every tap for one sample (batch dimension left out), by a dry run on a zero
    /// batch of one: cheap, and always in step with what <see cref="Forward"/> really reports.
    /// The run is in eval mode: in training mode batch norm would fold the zero batch into its
    /// running statistics (and refuse a batch of one at 1x1).
    /// </summary>
    public IReadOnlyDictionary<string, long[]> TapShapes(long[] sampleShape)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var reference = parameters().FirstOrDefault();
        var input = torch.zeros([1, .. sampleShape], dtype: reference?.dtype ?? ScalarType.Float32, device: reference?.device);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var wasTraining = training;
        eval();
        try
        {
            Forward(input, (tap, activation) => shapes[tap] = activation.shape[1..]);
        }
        finally
        {
            train(wasTraining);
        }
        return shapes;
    }

    /// <summary>
    /// The training objective for a batch: <see cref="Loss"/> of the output. Models with
    /// auxiliary heads add their losses.
    /// </summary>
    /// <param name="labels">Class indices (int64, [N]) or multi-hot label sets (floating point, [N, classes]);
    /// for a regressor, the regression targets (floating point, the output's shape).</param>
    public virtual Tensor TrainingLoss(Tensor x, Tensor labels)
    {
        using var logits = Forward(x, null);
        return Loss(logits, labels);
    }

    /// <summary>
    /// Cross-entropy for class indices; for multi-hot label sets (floating point) binary
    /// cross-entropy with logits, one sigmoid per class, averaged over samples and classes
    /// (PyTorch's BCEWithLogitsLoss, the multi-label loss of the Wasserstein paper).
    /// </summary>
    public static Tensor Objective(Tensor logits, Tensor labels) =>
        labels.is_floating_point()
            ? nn.functional.binary_cross_entropy_with_logits(logits, labels)
            : nn.functional.cross_entropy(logits, labels);

    /// <summary>
    /// <see cref="Objective"/> per sample ([N]): cross-entropy of each sample, or for multi-hot label
    /// sets its binary cross-entropy averaged over the classes, so the batch mean is the objective.
    /// </summary>
    public static Tensor PerSampleObjective(Tensor logits, Tensor labels)
    {
        if (!labels.is_floating_point())
            return nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);
        using var perClass = nn.functional.binary_cross_entropy_with_logits(logits, labels, reduction: nn.Reduction.None);
        return perClass.mean([1]);
    }

    /// <summary>
    /// The task loss of <paramref name="kind"/>, averaged over the batch: cross-entropy for class indices,
    /// binary cross-entropy with logits for label sets, mean squared error (over samples and every output
    /// value) for regression targets. The kind is explicit, so regression targets are never taken for label sets.
    /// </summary>
    /// <exception cref="ArgumentException">The targets' type or shape does not fit the kind.</exception>
    public static Tensor Objective(Tensor output, Tensor targets, TargetKind kind)
    {
        CheckTargets(output, targets, kind);
        return kind == TargetKind.Regression ? nn.functional.mse_loss(output, targets) : Objective(output, targets);
    }

    /// <summary>
    /// <see cref="Objective(Tensor, Tensor, TargetKind)"/> per sample ([N]); for regression each sample's mean
    /// squared error over its output values, so the batch mean is the objective.
    /// </summary>
    /// <exception cref="ArgumentException">The targets' type or shape does not fit the kind.</exception>
    public static Tensor PerSampleObjective(Tensor output, Tensor targets, TargetKind kind)
    {
        CheckTargets(output, targets, kind);
        if (kind != TargetKind.Regression)
            return PerSampleObjective(output, targets);
        using var scope = torch.NewDisposeScope();
        var squared = nn.functional.mse_loss(output, targets, reduction: nn.Reduction.None);
        return squared.reshape(squared.shape[0], -1).mean([1]).MoveToOuterDisposeScope();
    }

    private static void CheckTargets(Tensor output, Tensor targets, TargetKind kind)
    {
        var fits = kind switch
        {
            TargetKind.ClassIndex => !targets.is_floating_point(),
            // MSE would broadcast mismatched shapes into a wrong number: they must agree exactly.
            TargetKind.Regression => targets.is_floating_point() && output.shape.SequenceEqual(targets.shape),
            _ => targets.is_floating_point(),
        };
        if (!fits)
            throw new ArgumentException(kind switch
            {
                TargetKind.ClassIndex => $"class-index targets must be integers (int64), got {targets.dtype}.",
                TargetKind.Regression => $"regression targets must be floating point with the output's shape [{string.Join(", ", output.shape)}], " +
                                         $"got {targets.dtype} [{string.Join(", ", targets.shape)}].",
                _ => $"label-set targets must be floating point 0/1 rows, got {targets.dtype}.",
            }, nameof(targets));
    }
}
