using TorchSharp;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Data;

/// <summary>
/// Samples [<see cref="Start"/>, <see cref="Start"/> + <see cref="Count"/>) of a split as float32 values, one sample after
/// another. The caller makes the tensor inside its own dispose scope, so a batch prepared ahead never lands in another one.
/// </summary>
public sealed record SampleBatch(int Start, int Count, float[] Inputs, long[] SampleShape)
{
    /// <summary>The inputs as a tensor of shape [Count, ..SampleShape].</summary>
    public Tensor ToTensor() => torch.tensor(Inputs, [Count, .. SampleShape]);
}
