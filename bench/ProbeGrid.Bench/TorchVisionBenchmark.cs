using ProbeGrid.Analysis.Zoo;
using ProbeGrid.Analysis.Zoo.TorchVision;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// torchvision's families on the CPU: an eval-mode forward pass without gradients of a batch of 16 random images at
/// each family's usual size (224x224; inception_v3 299x299), 1000 classes, through the hooked model with no taps asked.
/// </summary>
public sealed class TorchVisionBenchmark : IBenchmark
{
    private const int Batch = 16;
    private const int Classes = 1000;

    public string Name => "torchvision";

    public string Description => "torchvision families: eval forward images/s at batch 16, 224x224 (inception_v3 299x299)";

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"forward: eval mode, no gradients, batch {Batch} of random 3xSxS images, {Classes} classes; images/s = {Batch} / median",
        $"libtorch intra-op threads: {torch.get_num_threads()}; --quick runs the first three families only, --families A,B the ones named",
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var results = new List<BenchResult>();
        var families = settings.Pick(TorchVisionFamilies.All, TorchVisionFamilies.All.Take(3).ToList());
        if (settings.Families is { } named)
        {
            var unknown = named.Where(n => TorchVisionFamilies.Find(n) is null).ToList();
            if (unknown.Count > 0)
                return [BenchResult.Failure(string.Join(", ", unknown), new ArgumentException(
                    $"--families names no torchvision family {string.Join(", ", unknown)}; known: {string.Join(", ", TorchVisionFamilies.All.Select(f => f.Name))}"))];
            families = [.. named.Select(n => TorchVisionFamilies.Find(n)!)];
        }
        foreach (var family in families)
        {
            var name = $"{family.Name} {family.UsualSide}x{family.UsualSide}";
            try
            {
                results.Add(Measure(family, name, settings));
            }
            catch (Exception e)
            {
                results.Add(BenchResult.Failure(name, e));
            }
        }
        return results;
    }

    private static BenchResult Measure(TorchVisionFamily family, string name, BenchSettings settings)
    {
        var side = family.UsualSide;
        using var model = ModelZoo.Create(family.Name, new Dictionary<string, string>(), [3, side, side], Classes, seed: 1);
        var parameterCount = model.parameters().Sum(p => p.numel());
        using var generator = new torch.Generator(2);
        using var input = torch.randn([Batch, 3, side, side], generator: generator);
        model.eval();
        var forward = Timing.Measure(() =>
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            model.forward(input);
        }, settings);
        return new BenchResult(name, forward, [new Metric("params", parameterCount), new Metric("images/s", Batch / forward.Median)]);
    }
}
