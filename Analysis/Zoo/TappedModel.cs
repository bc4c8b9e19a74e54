using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>Receives the activation at a named tap during a forward pass.</summary>
public delegate void TapSink(string tap, Tensor activation);

/// <summary>
/// A zoo network whose probe points are named explicitly. TorchSharp forward hooks fire only
/// through <c>module.call</c>, so instead every model reports its taps to a <see cref="TapSink"/>
/// while it runs.
/// </summary>
public abstract class TappedModel : nn.Module<Tensor, Tensor>
{
    protected TappedModel(string name) : base(name) { }

    /// <summary>Stable tap names in forward order; the first is always "input".</summary>
    public abstract IReadOnlyList<string> TapNames { get; }

    /// <summary>Runs the network on <paramref name="x"/>, reporting every tap to <paramref name="sink"/>; returns logits.</summary>
    public abstract Tensor Forward(Tensor x, TapSink? sink);

    public override Tensor forward(Tensor x) => Forward(x, null);

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
    /// The training objective for a batch: <see cref="Objective"/> of the logits. Models with
    /// auxiliary heads add their losses.
    /// </summary>
    /// <param name="labels">Class indices (int64, [N]) or multi-hot label sets (floating point, [N, classes]).</param>
    public virtual Tensor TrainingLoss(Tensor x, Tensor labels)
    {
        using var logits = Forward(x, null);
        return Objective(logits, labels);
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
}
