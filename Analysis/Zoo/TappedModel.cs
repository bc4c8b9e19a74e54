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
    /// </summary>
    public IReadOnlyDictionary<string, long[]> TapShapes(long[] sampleShape)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var reference = parameters().FirstOrDefault();
        var input = torch.zeros([1, .. sampleShape], dtype: reference?.dtype ?? ScalarType.Float32, device: reference?.device);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        Forward(input, (tap, activation) => shapes[tap] = activation.shape[1..]);
        return shapes;
    }

    /// <summary>
    /// The training objective for a batch. The default is cross-entropy of the logits; models
    /// with auxiliary heads add their losses.
    /// </summary>
    public virtual Tensor TrainingLoss(Tensor x, Tensor labels)
    {
        using var logits = Forward(x, null);
        return nn.functional.cross_entropy(logits, labels);
    }
}
