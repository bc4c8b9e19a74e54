using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>The elementwise nonlinearities a zoo MLP can use, by their parameter names.</summary>
internal static class Activation
{
    public const string LeakyRelu = "leaky_relu";
    public const string Relu = "relu";
    public const string Tanh = "tanh";
    public const string Sigmoid = "sigmoid";

    public static readonly IReadOnlyList<string> Names = [LeakyRelu, Relu, Tanh, Sigmoid];

    public static Tensor Apply(string name, Tensor x, double negativeSlope) => name switch
    {
        LeakyRelu => nn.functional.leaky_relu(x, negativeSlope),
        Relu => nn.functional.relu(x),
        Tanh => x.tanh(),
        Sigmoid => x.sigmoid(),
        _ => throw new ArgumentException($"Unknown activation '{name}'; allowed: {string.Join(", ", Names)}.", nameof(name)),
    };
}
