using ProbeGrid.Analysis.Complexity;
using ProbeGrid.Analysis.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// "disentangler-net": the feature-complexity paper's target DNN for Task-n, a regressor with the
/// disentangler's architecture (<see cref="DisentanglerLayout"/>, the same blocks as
/// <see cref="DisentanglerNet"/>): a 3x3 conv stem (BN, ReLU), three stages of m residual blocks
/// (3x3 conv, BN, parameter-free shortcut, ReLU) with 128r, 256r, 512r channels and strides 1, 2, 2,
/// then — average-pooled to the target's map where that is smaller still — a 1x1 convolution (with
/// bias) to the target's channels. l = 3m + 1 ReLU layers. Its loss is MSE to the regression target
/// (<see cref="OutputKind"/>), and the last tap, "output", is the regressed map.
/// </summary>
public sealed class DisentanglerTargetNet : LayeredImageModel
{
    private readonly Conv2d stem;
    private readonly BatchNorm2d stemNorm;
    private readonly ModuleList<DisentanglerBlock> blocks = new();
    private readonly Conv2d output;
    private readonly long[] targetShape;
    private readonly IReadOnlyList<string> tapNames;

    public DisentanglerTargetNet(DisentanglerNetConfig config, long[] sampleShape, long[] targetShape, Generator generator)
        : base(DisentanglerNetConfig.Architecture, sampleShape, classCount: 0)
    {
        Config = config;
        this.targetShape = [.. targetShape];
        tapNames = config.TapNames;
        var layout = config.Layout(ImageShape, targetShape);
        stem = nn.Conv2d(ImageShape[0], layout.StemChannels, kernel_size: 3, padding: 1, bias: false);
        stemNorm = nn.BatchNorm2d(layout.StemChannels);
        foreach (var block in layout.Blocks)
            blocks.Add(new DisentanglerBlock(block.InChannels, block.OutChannels, block.Stride));
        output = nn.Conv2d(layout.FinalChannels, targetShape[0], kernel_size: 1);
        RegisterComponents();

        WeightInit.Apply(WeightInit.HeNormal, stem.weight!, null, generator);
        using (torch.no_grad())
        {
            stemNorm.weight!.fill_(1);
            stemNorm.bias!.zero_();
        }
        foreach (var block in blocks) block.Initialize(generator);
        WeightInit.Apply(WeightInit.HeNormal, output.weight!, output.bias, generator);
    }

    public DisentanglerNetConfig Config { get; }

    /// <summary>l: the ReLU layers between the input and the output.</summary>
    public int Order => Config.Order;

    /// <summary>The shape of one sample's output: the regression target's.</summary>
    public long[] TargetShape => [.. targetShape];

    public override IReadOnlyList<string> TapNames => tapNames;

    public override TargetKind? OutputKind => TargetKind.Regression;

    protected override Tensor ComputeTap(int index, Tensor below)
    {
        if (index == 1)
        {
            using var normed = stemNorm.forward(stem.forward(below));
            return nn.functional.relu(normed);
        }
        if (index - 2 < blocks.Count)
            return blocks[index - 2].forward(below);
        if (below.shape[2] == targetShape[1] && below.shape[3] == targetShape[2])
            return output.forward(below);
        using var pooled = nn.functional.adaptive_avg_pool2d(below, [targetShape[1], targetShape[2]]);
        return output.forward(pooled);
    }
}
