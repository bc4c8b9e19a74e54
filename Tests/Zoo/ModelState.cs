using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Tests.Zoo;

/// <summary>A model's weights copied into managed arrays, for exact comparisons in tests.</summary>
internal static class ModelState
{
    /// <summary>Every state tensor as floats: parameters and buffers, batch norm's int64 step counter included.</summary>
    public static Dictionary<string, float[]> Of(nn.Module model) =>
        model.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().cpu().to(ScalarType.Float32).data<float>().ToArray());

    public static void AssertIdentical(nn.Module expected, nn.Module actual)
    {
        var a = Of(expected);
        var b = Of(actual);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, values) in a)
            Assert.True(values.SequenceEqual(b[name]), $"tensor '{name}' differs");
    }

    /// <summary>Values of a tensor as a flat managed array.</summary>
    public static float[] Values(Tensor t) => t.numel() == 0 ? [] : t.detach().cpu().contiguous().data<float>().ToArray();

    /// <summary>A reproducible standard-normal batch from a seeded generator.</summary>
    public static Tensor RandomBatch(long seed, params long[] shape)
    {
        using var generator = new Generator((ulong)seed);
        return torch.randn(shape, generator: generator);
    }
}
