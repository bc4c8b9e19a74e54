namespace ProbeGrid.Analysis.Complexity;

/// <summary>
/// The shape of a disentangler of order l = 3m + 1 and width factor r, shared by
/// <see cref="DisentanglerNet"/> and the zoo's "disentangler-net" (the paper's target DNN for
/// Task-n has the disentangler's architecture), so the two are built alike: a stem of 128r
/// channels, then three stages of m blocks with 128r, 256r and 512r channels whose first block
/// (stages 2 and 3) halves the map unless that would go below the feature's map.
/// </summary>
internal sealed record DisentanglerLayout(long StemChannels, IReadOnlyList<DisentanglerLayout.Block> Blocks)
{
    private static readonly int[] StageChannels = [128, 256, 512];

    /// <summary>One residual block: its stage (0..2), channels in and out, and stride.</summary>
    public readonly record struct Block(int Stage, int IndexInStage, long InChannels, long OutChannels, int Stride);

    /// <summary>Channels of the last block's output (the stem's when there are no blocks).</summary>
    public long FinalChannels => Blocks.Count > 0 ? Blocks[^1].OutChannels : StemChannels;

    /// <param name="inputShape">[C, H, W] of one input sample.</param>
    /// <param name="targetShape">[C, H, W] of the feature to mimic.</param>
    public static DisentanglerLayout Of(int order, double width, long[] inputShape, long[] targetShape)
    {
        var channels = StageChannels.Select(c => Math.Max(1, (long)Math.Round(c * width))).ToArray();
        var blocks = new List<Block>();
        var (inChannels, size) = (channels[0], Math.Min(inputShape[1], inputShape[2]));
        var blocksPerStage = (order - 1) / 3;
        for (var stage = 0; stage < 3; stage++)
            for (var b = 0; b < blocksPerStage; b++)
            {
                // The first block of stages 2 and 3 halves the map, unless that would go below the feature's map.
                var stride = stage > 0 && b == 0 && size / 2 >= Math.Min(targetShape[1], targetShape[2]) ? 2 : 1;
                blocks.Add(new Block(stage, b, inChannels, channels[stage], stride));
                (inChannels, size) = (channels[stage], (size + stride - 1) / stride);
            }
        return new DisentanglerLayout(channels[0], blocks);
    }
}
