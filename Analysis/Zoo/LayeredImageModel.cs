using static TorchSharp.torch;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// A zoo network on images whose taps follow one another, each computed from the one before
/// (every architecture but the MLP). <see cref="Forward"/> and <see cref="ForwardFrom"/> share one
/// loop over <see cref="ComputeTap"/>, so the two run the very same operations.
/// </summary>
public abstract class LayeredImageModel : TappedModel
{
    protected LayeredImageModel(string architecture, long[] sampleShape, int classCount) : base(architecture)
    {
        ImageShape = ImageSample.ChannelsHeightWidth(sampleShape);
        ClassCount = classCount;
    }

    /// <summary>[C, H, W] of one sample as the network sees it (a [H, W] sample shape gets C = 1).</summary>
    public long[] ImageShape { get; }

    public int ClassCount { get; }

    public sealed override Tensor Forward(Tensor x, TapSink? sink)
    {
        var image = ImageSample.AsImageBatch(GetName(), ImageShape, x);
        sink?.Invoke("input", x);
        return RunTapsAfter(0, image, sink);
    }

    public sealed override Tensor ForwardFrom(string tap, Tensor feature)
    {
        var index = TapIndex(tap);
        return index == 0 ? Forward(feature, null) : RunTapsAfter(index, feature, null);
    }

    /// <summary>The activation at tap <paramref name="index"/> (1 and up) from the one at the tap before.</summary>
    protected abstract Tensor ComputeTap(int index, Tensor below);

    /// <summary>
    /// Computes the taps after the one at <paramref name="tapIndex"/> in order, reporting each to
    /// <paramref name="sink"/>. From the last tap it returns an alias of the activation.
    /// </summary>
    private Tensor RunTapsAfter(int tapIndex, Tensor activation, TapSink? sink)
    {
        var names = TapNames;
        if (tapIndex == names.Count - 1)
            return activation.alias(); // the logits themselves: nothing to run
        var h = activation;
        for (var i = tapIndex + 1; i < names.Count; i++)
        {
            h = ComputeTap(i, h);
            sink?.Invoke(names[i], h);
        }
        return h;
    }
}
