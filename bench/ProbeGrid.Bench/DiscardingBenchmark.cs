using ProbeGrid.Analysis.InfoDiscarding;
using ProbeGrid.Analysis.Zoo;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// What σ-learning costs, the whole of an information-discarding unit's time: Adam steps per second of
/// SID (the network forward and backward on a batch of perturbed inputs) and of RU (the decoder after
/// it), through a CIFAR ResNet-8 of width 8 to its last stage (layer3.0), on 28x28, 40x40 and 56x56
/// canvases, from which the seconds per input and layer follow.
/// </summary>
public sealed class DiscardingBenchmark : IBenchmark
{
    private const string Tap = "layer3.0";
    private const int Classes = 10;

    private static readonly long[] Sides = [28, 40, 56];

    public string Name => "discarding";

    public string Description => "SID and RU σ-learning: Adam steps/s through resnet-cifar depth 8 width 8 to layer3.0 (noise batch 16; RU decoder width 32), 28/40/56 px";

    private static int Steps(BenchSettings settings) => settings.Pick(60, 10);

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"one run = one λ round of {Steps(settings)} Adam steps at a fixed λ (EstimateAtLambda: δ_f² and the final estimates from 256 draws each are included), random weights and input",
        "steps/s = the round's steps / median time; s/input = 2,100 steps at that rate (the defaults' first λ round of 600 steps and five more of 300): SID alone, and SID plus RU learned as well",
    ];

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var results = new List<BenchResult>();
        foreach (var side in Sides)
        {
            var name = $"resnet-cifar 8 w8 {side}x{side}";
            try
            {
                results.AddRange(Measure(side, name, settings));
            }
            catch (Exception e)
            {
                results.Add(BenchResult.Failure(name, e));
            }
        }
        return results;
    }

    private static IEnumerable<BenchResult> Measure(long side, string name, BenchSettings settings)
    {
        using var model = ModelZoo.Create("resnet-cifar", new Dictionary<string, string> { ["depth"] = "8", ["width"] = "8" }, [1, side, side], Classes, seed: 1);
        var h = FeatureFunction.FromTap(model, Tap);
        using var generator = new torch.Generator(3);
        using var x = torch.rand([1, side, side], generator: generator);
        var featureShape = model.TapShapes([1, side, side])[Tap];
        using var decoder = new ReconstructionDecoder(featureShape, [1, side, side], new DecoderOptions { Width = 32 });
        var g = decoder.AsFunction();
        var steps = Steps(settings);
        var options = new InfoDiscardingOptions { StepsPerRound = steps / 2, NormalisingSamples = 256, EvaluationSamples = 256 };
        // The first (here the only) round gets twice the steps: `steps` in all.
        const double defaultSteps = 7 * 300;

        var sid = Timing.Measure(() => StrictInformationDiscarding.EstimateAtLambda(h, x, 1e-3, options, CancellationToken.None), settings);
        var sidRate = steps / sid.Median;
        yield return new BenchResult($"{name} SID", sid, [new Metric("steps/s", sidRate), new Metric("s/input", defaultSteps / sidRate)]);

        var ru = Timing.Measure(() => ReconstructionUncertainty.EstimateAtLambda(h, g, x, 1e-3, options, CancellationToken.None), settings);
        var ruRate = steps / ru.Median;
        yield return new BenchResult($"{name} RU", ru, [new Metric("steps/s", ruRate), new Metric("s/input", defaultSteps / ruRate + defaultSteps / sidRate)]);
    }
}
