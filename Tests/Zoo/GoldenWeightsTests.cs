using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

/// <summary>
/// Every built-in architecture gives the same weights (to the bit) and outputs (to float32 precision) as before the zoo became a
/// registry: the sums below were computed by this test on commit 8a922f0 (static ModelZoo with its name switches).
/// A sum over a fixed order of floats changes if any weight or output value changes.
/// </summary>
public class GoldenWeightsTests
{
    private static Dictionary<string, string> Parameters(string spec) =>
        spec.Length == 0 ? [] : spec.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    public static TheoryData<string, string, long[], long[]?, string, string, string> Cases => new()
    {
        // architecture, parameters, sample shape, target shape, state sum, state sum of squares, output sum (all "R" doubles)
        { "mlp", "depth=3 width=7 skipFrom=0 skipTo=2 auxHeadEvery=1", [2, 3], null, "-4.884299276745878", "37.22692165298638", "1.4324231296777725" },
        { "mnist-convnet", "channels1=3 channels2=4 hidden=9", [1, 8, 8], null, "-0.14345699839032022", "4.103416122513805", "1.0589772090315819" },
        { "resnet18-small", "width=2", [3, 8, 8], null, "293.5233117911057", "602.6153443527169", "-5.213861525058746" },
        { "vgg16-small", "width=2 hidden=6", [3, 8, 8], null, "252.07795927065126", "543.1570735109001", "-2.604293838714966E-05" },
        { "resnet-cifar", "depth=8 width=2 damageAfter=layer1.0 damageWidth=3", [3, 8, 8], null, "49.32988411989936", "122.71087190553168", "-2.2985516069456935" },
        { "disentangler-net", "order=4 width=0.03125", [1, 8, 8], [2, 4, 4], "59.31583611703536", "130.9118773585109", "69.06222220696509" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Weights_and_outputs_match_the_values_before_the_registry(string architecture, string spec, long[] sampleShape, long[]? targetShape,
        string stateSum, string stateSquares, string outputSum)
    {
        using var scope = torch.NewDisposeScope();
        using var model = ModelZoo.Create(architecture, Parameters(spec), sampleShape, 3, seed: 11, targetShape);
        var (sum, squares) = StateSums(model);
        model.eval();
        using var generator = new Generator(5);
        var batch = torch.randn([4, .. sampleShape], generator: generator);
        var output = ModelState.Values(model.Forward(batch, null)).Sum(v => (double)v);
        Assert.Equal($"{stateSum} {stateSquares}", $"{sum:R} {squares:R}");
        // The weights are drawn to the bit; the outputs come from float32 kernels whose rounding varies with the CPU's
        // vector width and memory alignment (MKL), so they are held to float32 precision.
        var expected = double.Parse(outputSum, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(output, expected - 1e-6 * (1 + Math.Abs(expected)), expected + 1e-6 * (1 + Math.Abs(expected)));
    }

    /// <summary>Sum and sum of squares of every state value (parameters and buffers), in the state dict's order.</summary>
    internal static (double Sum, double Squares) StateSums(nn.Module model)
    {
        var (sum, squares) = (0.0, 0.0);
        foreach (var (_, values) in ModelState.Of(model))
            foreach (var v in values)
            {
                sum += v;
                squares += (double)v * v;
            }
        return (sum, squares);
    }
}
