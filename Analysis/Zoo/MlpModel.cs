using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// A deep fully connected network (architecture "mlp"): the probe paper's Fig. 3 model, and with
/// auxiliary heads (Fig. 7) or a skip connection (Fig. 8) its pathologically deep variants.
/// Hidden layer k = activation(Linear(input of k)); the input of k is layer k-1's output, with
/// layer <c>SkipFrom</c>'s output concatenated when k = <c>SkipTo</c>. Layer 0 is the flattened input.
/// </summary>
public sealed class MlpModel : TappedModel
{
    private readonly ModuleList<Linear> hidden;
    private readonly Linear output;
    private readonly ModuleList<Linear> aux;
    private readonly IReadOnlyList<string> tapNames;

    public MlpConfig Config { get; }

    public long InputSize { get; }

    public int ClassCount { get; }

    internal MlpModel(MlpConfig config, long[] sampleShape, int classCount, Generator generator) : base(MlpConfig.Architecture)
    {
        Config = config;
        ClassCount = classCount;
        InputSize = sampleShape.Aggregate(1L, (a, b) => a * b);
        tapNames = config.TapNames;

        hidden = nn.ModuleList(Enumerable.Range(1, config.Depth)
            .Select(k => nn.Linear(config.InputWidthOf(k, InputSize), config.Width)).ToArray());
        output = nn.Linear(config.Width, classCount);
        aux = nn.ModuleList(config.AuxHeadLayers.Select(_ => nn.Linear(config.Width, classCount)).ToArray());
        RegisterComponents();

        // Fixed order (hidden, output, aux) so one seed always gives the same weights.
        foreach (var layer in hidden.Append(output).Concat(aux))
            WeightInit.Apply(config.Init, layer.weight!, layer.bias, generator);
    }

    public override IReadOnlyList<string> TapNames => tapNames;

    public override Tensor Forward(Tensor x, TapSink? sink) => Run(x, sink, auxLogits: null);

    /// <summary>
    /// Runs the hidden layers above <paramref name="tap"/> and the classifier (see
    /// <see cref="TappedModel.ForwardFrom"/>). With a skip connection, a hidden layer strictly
    /// between skipFrom and skipTo cannot be a start: the layers above it need skipFrom's output
    /// as well, which the feature alone does not carry (see <see cref="ForwardFromTaps"/>).
    /// </summary>
    public override Tensor ForwardFrom(string tap, Tensor feature)
    {
        var index = TapIndex(tap);
        if (index == 0)
            return Forward(feature, null);
        if (index == Config.Depth + 1)
            return feature.alias(); // the logits themselves: nothing to run
        if (IsJumpedOverBySkip(index))
            throw new ArgumentException(
                $"mlp cannot run from tap '{tap}': its skip connection carries layer {Config.SkipFrom}'s output into layer {Config.SkipTo}, " +
                $"and '{tap}' lies between them, so the layers above it need more than its feature; start at one of: {string.Join(", ", ForwardFromTaps)}.",
                nameof(tap));
        return RunHidden(index, feature, sink: null, auxLogits: null);
    }

    /// <summary>Every tap except the hidden layers strictly between skipFrom and skipTo.</summary>
    public override IReadOnlyList<string> ForwardFromTaps => [.. tapNames.Where((_, index) => !IsJumpedOverBySkip(index))];

    /// <summary>Whether hidden layer <paramref name="layer"/> lies strictly inside the skip connection's span.</summary>
    private bool IsJumpedOverBySkip(int layer) =>
        Config.SkipFrom is int from && Config.SkipTo is int to && layer > from && layer < to;

    /// <summary>The objective of the logits plus auxLossWeight times the sum of the auxiliary heads' objectives (see <see cref="TappedModel.Objective"/>).</summary>
    public override Tensor TrainingLoss(Tensor x, Tensor labels)
    {
        using var scope = torch.NewDisposeScope();
        var auxLogits = new List<Tensor>();
        var logits = Run(x, null, auxLogits);
        var loss = Objective(logits, labels);
        if (auxLogits.Count > 0)
        {
            var auxLoss = auxLogits.Select(a => Objective(a, labels)).Aggregate((a, b) => a + b);
            loss = loss + Config.AuxLossWeight * auxLoss;
        }
        return loss.MoveToOuterDisposeScope();
    }

    private Tensor Run(Tensor x, TapSink? sink, List<Tensor>? auxLogits)
    {
        var batch = x.shape[0];
        var sampleSize = x.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (sampleSize != InputSize)
            throw new ArgumentException(
                $"mlp expects {InputSize} input values per sample but got shape [{string.Join(", ", x.shape)}]; build the model for this data's sample shape.", nameof(x));

        var input = x.reshape(batch, InputSize);
        sink?.Invoke("input", input);
        return RunHidden(0, input, sink, auxLogits);
    }

    /// <summary>Hidden layers above <paramref name="layer"/> (whose output is <paramref name="activation"/>), then the classifier.</summary>
    private Tensor RunHidden(int layer, Tensor activation, TapSink? sink, List<Tensor>? auxLogits)
    {
        var outputs = new Tensor[Config.Depth + 1];
        outputs[layer] = activation;
        var auxLayers = Config.AuxHeadLayers;
        var nextAux = auxLayers.Count(a => a <= layer);
        for (var k = layer + 1; k <= Config.Depth; k++)
        {
            var layerInput = Config.SkipTo == k && Config.SkipFrom is int from
                ? torch.cat([outputs[k - 1], outputs[from]], 1)
                : outputs[k - 1];
            outputs[k] = Activation.Apply(Config.Activation, hidden[k - 1].forward(layerInput), Config.NegativeSlope);
            sink?.Invoke(MlpConfig.LayerTap(k), outputs[k]);
            if (auxLogits is not null && nextAux < auxLayers.Count && auxLayers[nextAux] == k)
                auxLogits.Add(aux[nextAux++].forward(outputs[k]));
        }
        var logits = output.forward(outputs[Config.Depth]);
        sink?.Invoke("logits", logits);
        return logits;
    }
}
