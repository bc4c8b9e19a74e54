using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

/// <summary>The configuration of <see cref="TwoLayerArchitecture"/>: the hidden width.</summary>
public sealed record TwoLayerConfig(int Hidden);

/// <summary>
/// A user-defined architecture written only against <see cref="IArchitecture"/> (through <see cref="Architecture{TConfig}"/>):
/// flattened input, one tanh hidden layer, logits. The tests add it to a registry of their own.
/// </summary>
public sealed class TwoLayerArchitecture : Architecture<TwoLayerConfig>
{
    public const string ArchitectureName = "two-layer";

    public override string Name => ArchitectureName;

    public override TwoLayerConfig Read(ModelParameterReader reader) => new(reader.Int("hidden", 4, 1, 64));

    public override IEnumerable<string> DataProblems(TwoLayerConfig config, long[] sampleShape, long[]? targetShape)
    {
        if (sampleShape.Length != 1)
            yield return $"{Name}: takes vectors, not samples of shape [{string.Join(", ", sampleShape)}].";
    }

    public override IReadOnlyList<string> TapNames(TwoLayerConfig config) => TwoLayerModel.Taps;

    public override IReadOnlyDictionary<string, long[]> TapShapes(TwoLayerConfig config, long[] sampleShape, int classCount, long[]? targetShape) =>
        new Dictionary<string, long[]> { ["input"] = [sampleShape[0]], ["hidden"] = [config.Hidden], ["logits"] = [classCount] };

    public override TappedModel Build(TwoLayerConfig config, long[] sampleShape, int classCount, long[]? targetShape, Generator generator) =>
        new TwoLayerModel(sampleShape[0], config.Hidden, classCount, generator);
}

/// <summary>The network of <see cref="TwoLayerArchitecture"/>, its weights drawn from the generator in a fixed order.</summary>
public sealed class TwoLayerModel : TappedModel
{
    public static readonly IReadOnlyList<string> Taps = ["input", "hidden", "logits"];

    private readonly Linear first;
    private readonly Linear second;

    public TwoLayerModel(long inputs, int hidden, int classes, Generator generator) : base(TwoLayerArchitecture.ArchitectureName)
    {
        first = nn.Linear(inputs, hidden);
        second = nn.Linear(hidden, classes);
        RegisterComponents();
        using var noGrad = torch.no_grad();
        foreach (var layer in new[] { first, second })
        {
            layer.weight!.copy_(torch.randn(layer.weight.shape, generator: generator));
            layer.bias!.zero_();
        }
    }

    public override IReadOnlyList<string> TapNames => Taps;

    public override Tensor Forward(Tensor x, TapSink? sink)
    {
        var input = x.reshape(x.shape[0], -1);
        sink?.Invoke("input", input);
        var hidden = first.forward(input).tanh();
        sink?.Invoke("hidden", hidden);
        var logits = second.forward(hidden);
        sink?.Invoke("logits", logits);
        return logits;
    }

    public override Tensor ForwardFrom(string tap, Tensor feature) => TapIndex(tap) switch
    {
        0 => Forward(feature, null),
        1 => second.forward(feature),
        _ => feature.alias(),
    };
}
