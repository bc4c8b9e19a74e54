namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The tap shapes both zoo ResNets share, from the configuration alone: "input", a stem that keeps
/// the image size, stages of blocks "layer{s}.{b}" with width, 2 width, 4 width ... channels whose
/// first block strides (3x3 convolutions with padding 1, and a strided shortcut, map a side s to
/// ceil(s / stride)), "pool" (global average) and "logits", in forward order.
/// </summary>
internal static class ResNetTapShapes
{
    /// <param name="lastPreActivationTap">A tap for the last block's output before its final ReLU, just before that block's tap; null for none.</param>
    public static Dictionary<string, long[]> Of(long[] sampleShape, int width, IReadOnlyList<int> stageStrides, int blocksPerStage, int classCount,
        string? lastPreActivationTap = null)
    {
        var (height, side) = (sampleShape[^2], sampleShape[^1]);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["input"] = [.. sampleShape],
            ["stem"] = [width, height, side],
        };
        long channels = width;
        for (var stage = 1; stage <= stageStrides.Count; stage++)
        {
            channels = (long)width << (stage - 1);
            height = ImageSample.ConvSide(height, stageStrides[stage - 1]);
            side = ImageSample.ConvSide(side, stageStrides[stage - 1]);
            for (var block = 0; block < blocksPerStage; block++)
            {
                if (lastPreActivationTap is not null && stage == stageStrides.Count && block == blocksPerStage - 1)
                    shapes[lastPreActivationTap] = [channels, height, side];
                shapes[$"layer{stage}.{block}"] = [channels, height, side];
            }
        }
        shapes["pool"] = [channels];
        shapes["logits"] = [classCount];
        return shapes;
    }
}
