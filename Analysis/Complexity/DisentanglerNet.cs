using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// The disentangler Φ^(l) of the feature-complexity paper, which learns to mimic a layer's feature f(x)
/// from the input x with exactly l = 3m + 1 ReLU layers: a 3x3 conv stem (BN, ReLU), three stages of
/// m residual blocks (<see cref="DisentanglerBlock"/>, one ReLU each) with 128r, 256r and 512r channels
/// and strides 1, 2, 2, then a 1x1 convolution to the feature's channels. As in the authors' code the
/// stages halve the map; where the feature's map is smaller still it is average-pooled to size, and a
/// stage does not stride below the feature's size.
/// </summary>
public sealed class DisentanglerNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d stem;
    private readonly BatchNorm2d stemNorm;
    private readonly ModuleList<DisentanglerBlock> blocks;
    private readonly Conv2d output;
    private readonly long[] targetShape;

    /// <param name="order">l, the number of ReLU layers: 1, 4, 7, 13, 25, ... (3m + 1).</param>
    /// <param name="width">r, the width factor (channels 128r, 256r, 512r; the paper uses 1). Fractions make CPU-sized nets.</param>
    /// <param name="inputShape">[C, H, W] of one input sample.</param>
    /// <param name="targetShape">[C, H, W] of the feature at one sample.</param>
    /// <exception cref="ArgumentException">Lists every problem with the arguments.</exception>
    public DisentanglerNet(int order, double width, long[] inputShape, long[] targetShape, long seed) : base(nameof(DisentanglerNet))
    {
        var problems = Problems(order, width, inputShape, targetShape).ToList();
        if (problems.Count > 0) throw new ArgumentException("disentangler: " + string.Join("; ", problems));
        Order = order;
        this.targetShape = targetShape;
        var layout = DisentanglerLayout.Of(order, width, inputShape, targetShape);
        stem = nn.Conv2d(inputShape[0], layout.StemChannels, kernel_size: 3, padding: 1, bias: false);
        stemNorm = nn.BatchNorm2d(layout.StemChannels);
        blocks = new ModuleList<DisentanglerBlock>();
        foreach (var block in layout.Blocks)
            blocks.Add(new DisentanglerBlock(block.InChannels, block.OutChannels, block.Stride));
        output = nn.Conv2d(layout.FinalChannels, targetShape[0], kernel_size: 1);
        RegisterComponents();

        using var generator = new Generator(unchecked((ulong)seed));
        WeightInit.Apply(WeightInit.HeNormal, stem.weight!, null, generator);
        using (torch.no_grad())
        {
            stemNorm.weight!.fill_(1);
            stemNorm.bias!.zero_();
        }
        foreach (var block in blocks) block.Initialize(generator);
        WeightInit.Apply(WeightInit.HeNormal, output.weight!, output.bias, generator);
    }

    /// <summary>l: the ReLU layers between the input and the output.</summary>
    public int Order { get; }

    /// <summary>Every problem with the arguments; empty when a net can be built.</summary>
    public static IEnumerable<string> Problems(int order, double width, long[] inputShape, long[] targetShape)
    {
        if (order < 1 || (order - 1) % 3 != 0) yield return $"order {order} must be 3m + 1 ReLU layers (1, 4, 7, 13, 25, 49, 97, ...)";
        if (!(width > 0 && double.IsFinite(width))) yield return $"width factor {width} must be a positive number";
        if (inputShape.Length != 3 || inputShape.Any(d => d < 1)) yield return $"input shape [{string.Join(", ", inputShape)}] must be [C, H, W]";
        if (targetShape.Length != 3 || targetShape.Any(d => d < 1)) yield return $"feature shape [{string.Join(", ", targetShape)}] must be [C, H, W]: disentangle a convolutional layer's map";
        else if (inputShape.Length == 3 && (targetShape[1] > inputShape[1] || targetShape[2] > inputShape[2]))
            yield return $"the feature's map {targetShape[1]}x{targetShape[2]} is larger than the input's {inputShape[1]}x{inputShape[2]}";
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var h = nn.functional.relu(stemNorm.forward(stem.forward(x)));
        foreach (var block in blocks) h = block.forward(h);
        if (h.shape[2] != targetShape[1] || h.shape[3] != targetShape[2])
            h = nn.functional.adaptive_avg_pool2d(h, [targetShape[1], targetShape[2]]);
        return output.forward(h).MoveToOuterDisposeScope();
    }
}
