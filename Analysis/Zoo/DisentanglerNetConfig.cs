using ProbeGrid.Analysis.Complexity;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The parameters of "disentangler-net", the feature-complexity paper's target DNN for Task-n: a
/// regressor with the disentangler's architecture (<see cref="DisentanglerNet"/>, footnote of Exp. 1),
/// trained with MSE to reproduce a random task DNN's output. Order l = 3m + 1 ReLU layers (default 19,
/// m = 6: the authors' code trains <c>resnetdisentangler(6)</c> as the target DNN) and width factor r
/// (stages of 128r, 256r, 512r channels; default 1, the paper's; 0.125 fits a CPU).
/// </summary>
public sealed record DisentanglerNetConfig(int Order, double Width)
{
    public const string Architecture = "disentangler-net";
    public const int DefaultOrder = 19;
    public const int MaxOrder = 3 * 100 + 1;
    public const double MinWidth = 1.0 / 128;
    public const double MaxWidth = 8;

    /// <summary>m: residual blocks a stage (three stages).</summary>
    public int BlocksPerStage => (Order - 1) / 3;

    /// <summary>"input", "stem" (conv, BN, ReLU), the blocks "layer1.0" .. "layer3.{m-1}" (after each block's ReLU), "output" (the regression output).</summary>
    public IReadOnlyList<string> TapNames
    {
        get
        {
            var taps = new List<string> { "input", "stem" };
            for (var stage = 1; stage <= 3; stage++)
                for (var block = 0; block < BlocksPerStage; block++)
                    taps.Add(BlockTap(stage, block));
            taps.Add(OutputTap);
            return taps;
        }
    }

    public const string OutputTap = "output";

    public static string BlockTap(int stage, int block) => $"layer{stage}.{block}";

    /// <summary>Each tap's per-sample shape from the configuration alone; the output has the target's shape.</summary>
    public IReadOnlyDictionary<string, long[]> TapShapes(long[] sampleShape, long[] targetShape)
    {
        var image = ImageSample.ChannelsHeightWidth(sampleShape);
        var layout = Layout(image, targetShape);
        var (height, width) = (image[1], image[2]);
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["input"] = [.. sampleShape],
            ["stem"] = [layout.StemChannels, height, width],
        };
        foreach (var block in layout.Blocks)
        {
            (height, width) = (ImageSample.ConvSide(height, block.Stride), ImageSample.ConvSide(width, block.Stride));
            shapes[BlockTap(block.Stage + 1, block.IndexInStage)] = [block.OutChannels, height, width];
        }
        shapes[OutputTap] = [.. targetShape];
        return shapes;
    }

    internal DisentanglerLayout Layout(long[] imageShape, long[] targetShape) => DisentanglerLayout.Of(Order, Width, imageShape, targetShape);

    /// <summary>Problems with the sample and target shapes for this configuration (a regressor needs a [C, H, W] target no larger than the image).</summary>
    public IEnumerable<string> ShapeProblems(long[] sampleShape, long[]? targetShape)
    {
        if (targetShape is null)
        {
            yield return $"{Architecture}: regresses a real-valued target map (MSE), but the data set's samples carry classes or label sets; " +
                         "train it on regression data (e.g. the random-task data set), or use a classifier architecture for this data.";
            yield break;
        }
        var imageProblems = ImageSample.Problems(Architecture, sampleShape).ToList();
        foreach (var p in imageProblems) yield return p;
        if (imageProblems.Count > 0) yield break;
        foreach (var p in DisentanglerNet.Problems(Order, Width, ImageSample.ChannelsHeightWidth(sampleShape), targetShape))
            yield return $"{Architecture}: {p}.";
    }

    internal static DisentanglerNetConfig Read(ModelParameterReader reader)
    {
        var order = reader.Int("order", DefaultOrder, 1, MaxOrder);
        var width = reader.Double("width", 1, MinWidth, MaxWidth);
        if ((order - 1) % 3 != 0)
            reader.Problem($"parameter 'order' = {order} is not 3m + 1 ReLU layers; allowed: 1, 4, 7, 13, 19, 25, 49, 97, ... up to {MaxOrder} (default {DefaultOrder}).");
        return new DisentanglerNetConfig(order, width);
    }
}
