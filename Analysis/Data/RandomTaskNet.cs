using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// The randomly initialised "task DNN" of the feature-complexity paper's Exp. 1 (Task-n): its output
/// on an image is the regression target a target DNN learns to reproduce, and its n ReLU layers set
/// the task's complexity. As in the authors' code (task_complexity/tasks.py):
/// a 3x3 convolution from the image's channels to <see cref="Width"/> = 16 channels, then n times
/// (ReLU, 3x3 convolution 16 → 16), then a 4x4 max-pool (stride 4) and a 1x1 convolution to
/// <see cref="OutputChannels"/> = 64 channels; padding 1, no biases anywhere, every weight
/// He-normal (fan-in, std √(2 / fan-in)). A 28x28 Fashion-MNIST image gives a [64, 7, 7] target
/// (the authors' 32x32 CIFAR-10 images give [64, 8, 8]).
/// With n = 0 every layer before the pool is linear, but the max-pool is not: Task-0 is "linear up to
/// the pool", as in the reference. The net is positively homogeneous for every n (T(a·x) = a·T(x), a &gt; 0).
/// The weights come from a generator seeded with the task's seed alone (never the global RNG), so a
/// seed names one task whatever else runs.
/// </summary>
public sealed class RandomTaskNet : nn.Module<Tensor, Tensor>
{
    public const int Width = 16;
    public const int OutputChannels = 64;
    public const int PoolSize = 4;

    private readonly ModuleList<Conv2d> convolutions = new();
    private readonly Conv2d output;

    /// <param name="inputChannels">Channels of the input images (1 for Fashion-MNIST).</param>
    /// <param name="reluLayers">n: ReLU layers (and 3x3 convolutions after the first), 0 or more.</param>
    /// <param name="seed">Seeds every weight.</param>
    public RandomTaskNet(long inputChannels, int reluLayers, long seed) : base(nameof(RandomTaskNet))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputChannels, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(reluLayers);
        ReluLayers = reluLayers;
        convolutions.Add(nn.Conv2d(inputChannels, Width, kernel_size: 3, padding: 1, bias: false));
        for (var i = 0; i < reluLayers; i++)
            convolutions.Add(nn.Conv2d(Width, Width, kernel_size: 3, padding: 1, bias: false));
        output = nn.Conv2d(Width, OutputChannels, kernel_size: 1, bias: false);
        RegisterComponents();

        using var generator = new Generator(unchecked((ulong)seed));
        foreach (var conv in convolutions) WeightInit.Apply(WeightInit.HeNormal, conv.weight!, null, generator);
        WeightInit.Apply(WeightInit.HeNormal, output.weight!, null, generator);
        eval();
        foreach (var p in parameters()) p.requires_grad = false;
    }

    /// <summary>n: the ReLU layers between the input and the output.</summary>
    public int ReluLayers { get; }

    /// <summary>The target shape for images of shape [C, H, W]: [64, H / 4, W / 4] (rounded down, as the pool does).</summary>
    public static long[] OutputShape(long[] imageShape) => [OutputChannels, imageShape[^2] / PoolSize, imageShape[^1] / PoolSize];

    /// <summary>The map before the max-pool ([N, 16, H, W]): linear in the input when n = 0.</summary>
    public Tensor BeforePool(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var h = convolutions[0].forward(x);
        for (var i = 1; i < convolutions.Count; i++)
            h = convolutions[i].forward(nn.functional.relu(h));
        return h.MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var pooled = nn.functional.max_pool2d(BeforePool(x), kernel_size: PoolSize, stride: PoolSize);
        return output.forward(pooled).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The net's output on every sample of <paramref name="inputs"/> (row-major [count, ..imageShape]),
    /// row-major [count, ..OutputShape], computed without gradients in batches of <paramref name="batchSize"/>.
    /// </summary>
    public float[] Apply(float[] inputs, long[] imageShape, int batchSize = 256)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var sampleSize = (int)imageShape.Aggregate(1L, (a, b) => a * b);
        var targetSize = (int)OutputShape(imageShape).Aggregate(1L, (a, b) => a * b);
        var count = inputs.Length / sampleSize;
        var targets = new float[(long)count * targetSize];
        using var noGrad = torch.no_grad();
        for (var start = 0; start < count; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            var n = Math.Min(batchSize, count - start);
            var x = torch.tensor(inputs.AsSpan(start * sampleSize, n * sampleSize).ToArray(), [n, .. imageShape]);
            var y = forward(x).contiguous();
            y.data<float>().CopyTo(targets.AsSpan(start * targetSize, n * targetSize));
        }
        return targets;
    }
}
