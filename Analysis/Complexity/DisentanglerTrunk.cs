using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// The nonlinear part of a disentangler, everything but its final 1x1 convolution: a 3x3 conv stem
/// (BN, ReLU) and three stages of m residual blocks (<see cref="DisentanglerBlock"/>, one ReLU each)
/// with 128r, 256r and 512r channels and strides 1, 2, 2, so exactly l = 3m + 1 ReLU layers. As in the
/// authors' code the stages halve the map; where the feature's map is smaller still the output is
/// average-pooled to size, and a stage does not stride below the feature's size. Shared by
/// <see cref="DisentanglerNet"/> (one linear head) and <see cref="ReliabilityNet"/> (K linear heads).
/// Its layout (<see cref="DisentanglerLayout"/>) is the zoo's "disentangler-net"'s too. Callers validate
/// the arguments with <see cref="DisentanglerNet.Problems"/>.
/// </summary>
internal sealed class DisentanglerTrunk : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d stem;
    private readonly BatchNorm2d stemNorm;
    private readonly ModuleList<DisentanglerBlock> blocks;
    private readonly long mapHeight;
    private readonly long mapWidth;

    /// <param name="order">l = 3m + 1.</param>
    /// <param name="width">r, the width factor.</param>
    /// <param name="inputShape">[C, H, W] of one input sample.</param>
    /// <param name="mapHeight">The feature's map height: the trunk's output has it.</param>
    /// <param name="mapWidth">The feature's map width.</param>
    public DisentanglerTrunk(int order, double width, long[] inputShape, long mapHeight, long mapWidth) : base(nameof(DisentanglerTrunk))
    {
        this.mapHeight = mapHeight;
        this.mapWidth = mapWidth;
        var layout = DisentanglerLayout.Of(order, width, inputShape, [0, mapHeight, mapWidth]);
        stem = nn.Conv2d(inputShape[0], layout.StemChannels, kernel_size: 3, padding: 1, bias: false);
        stemNorm = nn.BatchNorm2d(layout.StemChannels);
        blocks = new ModuleList<DisentanglerBlock>();
        foreach (var block in layout.Blocks) blocks.Add(new DisentanglerBlock(block.InChannels, block.OutChannels, block.Stride));
        OutputChannels = layout.FinalChannels;
        RegisterComponents();
    }

    /// <summary>Channels of the trunk's output: 128r after the stem alone, else those of the last stage.</summary>
    public long OutputChannels { get; }

    /// <summary>Draws the weights from <paramref name="generator"/> (He normal; BN scale 1, shift 0).</summary>
    public void Initialize(Generator generator)
    {
        WeightInit.Apply(WeightInit.HeNormal, stem.weight!, null, generator);
        using (torch.no_grad())
        {
            stemNorm.weight!.fill_(1);
            stemNorm.bias!.zero_();
        }
        foreach (var block in blocks) block.Initialize(generator);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var h = nn.functional.relu(stemNorm.forward(stem.forward(x)));
        foreach (var block in blocks) h = block.forward(h);
        if (h.shape[2] != mapHeight || h.shape[3] != mapWidth)
            h = nn.functional.adaptive_avg_pool2d(h, [mapHeight, mapWidth]);
        return h.MoveToOuterDisposeScope();
    }
}
