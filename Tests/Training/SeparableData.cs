using ProbeGrid.Analysis.Data;
using TorchSharp;

namespace ProbeGrid.Tests.Training;

/// <summary>Two Gaussian blobs at ±2 along a random direction: a tiny, linearly separable task.</summary>
internal static class SeparableData
{
    public static LabeledData Create(int count, int dimensions, long seed)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator((ulong)seed);
        var direction = torch.randn([dimensions], generator: generator);
        direction /= direction.norm();
        var labels = torch.randint(0, 2, [count], generator: generator);
        var centres = (labels.to(torch.float32) * 2 - 1).unsqueeze(1) * direction.unsqueeze(0) * 2.0f;
        var inputs = centres + 0.5f * torch.randn([count, dimensions], generator: generator);
        return new LabeledData(inputs.data<float>().ToArray(), [dimensions], labels.data<long>().ToArray(), 2);
    }
}
