using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// The layer feature h of the information-discarding analysis, as a function of a batch of inputs
/// ([B, ..input shape] to [B, ..feature shape]). It must be deterministic (eval mode: batch norm
/// on its running statistics, no dropout), because the method compares h(x') with f = h(x) and
/// any randomness in h would be taken for information discarded. Only σ learns: callers get
/// gradients with <c>torch.autograd.grad</c> on their own leaves, so the network's parameters
/// never receive a <c>.grad</c>.
/// </summary>
public sealed class FeatureFunction
{
    private readonly Func<Tensor, Tensor> batchFeature;

    /// <param name="batchFeature">Maps [B, ..input] to [B, ..feature]; the result is a new tensor (in the caller's dispose scope).</param>
    /// <param name="name">What the feature is, for messages (e.g. "conv2").</param>
    public FeatureFunction(Func<Tensor, Tensor> batchFeature, string name)
    {
        this.batchFeature = batchFeature ?? throw new ArgumentException("batchFeature is null: give the function that maps a batch of inputs to the layer's feature.", nameof(batchFeature));
        Name = string.IsNullOrWhiteSpace(name) ? "feature" : name;
    }

    public string Name { get; }

    /// <summary>h of every sample of <paramref name="batch"/>.</summary>
    public Tensor Apply(Tensor batch) => batchFeature(batch);

    /// <summary>
    /// The activation at <paramref name="tap"/> of a zoo model. Puts the model in eval mode (the
    /// analysis is of the trained network as it predicts). The whole forward pass runs: taps are
    /// reported by <see cref="TappedModel.Forward"/>, the logits are thrown away.
    /// </summary>
    /// <exception cref="ArgumentException">The tap is unknown; the message lists the known ones.</exception>
    public static FeatureFunction FromTap(TappedModel model, string tap)
    {
        if (!model.TapNames.Contains(tap, StringComparer.Ordinal))
            throw new ArgumentException($"{model.GetName()} has no tap '{tap}'; give one of: {string.Join(", ", model.TapNames)}.", nameof(tap));
        model.eval();
        var only = new HashSet<string>(StringComparer.Ordinal) { tap };
        return new FeatureFunction(x =>
        {
            Tensor? captured = null;
            using (var scope = torch.NewDisposeScope())
            {
                model.Forward(x, (name, activation) =>
                {
                    // An alias that survives the scope: the activation itself may be an intermediate the model disposes.
                    if (string.Equals(name, tap, StringComparison.Ordinal)) captured = activation.alias().MoveToOuterDisposeScope();
                }, only);
            }
            return captured ?? throw new InvalidOperationException($"{model.GetName()} ran without reporting its tap '{tap}'.");
        }, tap);
    }
}
