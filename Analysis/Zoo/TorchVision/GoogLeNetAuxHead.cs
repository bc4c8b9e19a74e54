using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo.TorchVision;

/// <summary>
/// googlenet's auxiliary classifier (torchvision's InceptionAux of googlenet.py), which TorchSharp's GoogleNet leaves
/// out: 4x4 adaptive average pool, a 1x1 BasicConv2d to 128 channels, fc1 to 1024 with ReLU, dropout, fc2 to the classes.
/// Its state_dict keys are torchvision's (conv.conv.weight, conv.bn.*, fc1.*, fc2.*).
/// </summary>
internal sealed class GoogLeNetAuxHead : nn.Module<Tensor, Tensor>
{
    private readonly Sequential conv;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Dropout dropout;

    public GoogLeNetAuxHead(long inChannels, long classCount, double dropout) : base("InceptionAux")
    {
        conv = nn.Sequential(
            ("conv", nn.Conv2d(inChannels, 128, kernel_size: 1, bias: false)),
            ("bn", nn.BatchNorm2d(128, eps: 0.001)),
            ("relu", nn.ReLU(inplace: true)));
        fc1 = nn.Linear(2048, 1024);
        fc2 = nn.Linear(1024, classCount);
        this.dropout = nn.Dropout(dropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var pooled = nn.functional.adaptive_avg_pool2d(x, [4, 4]);
        var features = conv.call(pooled).flatten(1);
        var hidden = nn.functional.relu(fc1.call(features), inplace: true);
        return fc2.call(dropout.call(hidden)).MoveToOuterDisposeScope();
    }
}
