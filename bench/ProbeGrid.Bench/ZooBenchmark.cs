using ProbeGrid.Analysis.Zoo;
using TorchSharp;

namespace ProbeGrid.Bench;

/// <summary>
/// The batch-norm zoo networks of the Wasserstein example on the CPU: an eval-mode forward pass
/// of a 256-sample batch (what activation extraction does per batch) and one training step at
/// batch 128 (SGD with momentum, binary cross-entropy on multi-hot targets, as on the mosaics),
/// at 28x28 (itemSize-14 mosaics) and 56x56 (the default mosaics), with random inputs.
/// </summary>
public sealed class ZooBenchmark : IBenchmark
{
    private const int ForwardBatch = 256;
    private const int TrainBatch = 128;
    private const int Classes = 10;

    private static readonly (string Architecture, string Width)[] Models = [("resnet18-small", "16"), ("vgg16-small", "8")];

    private static readonly long[] Sides = [28, 56];

    public string Name => "zoo";

    public string Description => "resnet18-small (w16) and vgg16-small (w8): forward s per 256-sample batch and training steps/s at batch 128, 28x28 and 56x56";

    public IReadOnlyList<string> Notes(BenchSettings settings) =>
    [
        $"forward: eval mode, no gradients, one batch of {ForwardBatch} random 1xSxS samples; samples/s = {ForwardBatch} / median",
        $"train step: train mode, batch {TrainBatch}, zero_grad + forward + BCE-with-logits on random multi-hot targets + backward + SGD(lr 0.01, momentum 0.9, wd 1e-4) step",
        $"each timed run repeats the step {StepsPerRun(settings)} time(s); steps/s = steps / median",
    ];

    private static int StepsPerRun(BenchSettings settings) => settings.Pick(3, 1);

    public IReadOnlyList<BenchResult> Run(BenchSettings settings)
    {
        var results = new List<BenchResult>();
        foreach (var (architecture, width) in Models)
            foreach (var side in Sides)
            {
                var name = $"{architecture} w{width} {side}x{side}";
                try
                {
                    results.AddRange(Measure(architecture, width, side, name, settings));
                }
                catch (Exception e)
                {
                    results.Add(BenchResult.Failure(name, e));
                }
            }
        return results;
    }

    private static IEnumerable<BenchResult> Measure(string architecture, string width, long side, string name, BenchSettings settings)
    {
        using var model = ModelZoo.Create(architecture, new Dictionary<string, string> { ["width"] = width }, [1, side, side], Classes, seed: 1);
        var parameterCount = model.parameters().Sum(p => p.numel());
        using var generator = new torch.Generator(2);
        using var forwardInput = torch.rand([ForwardBatch, 1, side, side], generator: generator);
        using var trainInput = torch.rand([TrainBatch, 1, side, side], generator: generator);
        using var targets = torch.rand([TrainBatch, Classes], generator: generator).lt(0.25).to(torch.float32);

        model.eval();
        var forward = Timing.Measure(() =>
        {
            // A dispose scope, as extraction has: without one the intermediate activations wait for
            // the finalizer and every run pays for fresh pages (several times slower here).
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            model.forward(forwardInput);
        }, settings);
        yield return new BenchResult($"{name} forward {ForwardBatch}", forward,
        [
            new Metric("params", parameterCount),
            new Metric("samples/s", ForwardBatch / forward.Median),
        ]);

        using var optimizer = torch.optim.SGD(model.parameters(), 0.01, momentum: 0.9, weight_decay: 1e-4);
        model.train();
        var steps = StepsPerRun(settings);
        var train = Timing.Measure(() =>
        {
            for (var i = 0; i < steps; i++)
            {
                using var scope = torch.NewDisposeScope();
                optimizer.zero_grad();
                model.TrainingLoss(trainInput, targets).backward();
                optimizer.step();
            }
        }, settings);
        yield return new BenchResult($"{name} train step {TrainBatch}", train,
        [
            new Metric("params", parameterCount),
            new Metric("steps/s", steps / train.Median),
            new Metric("samples/s", steps * TrainBatch / train.Median),
        ]);
    }
}
