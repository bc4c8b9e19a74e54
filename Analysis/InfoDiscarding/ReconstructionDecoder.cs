using ProbeGrid.Analysis.Zoo;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ProbeGrid.Analysis.InfoDiscarding;

/// <summary>
/// The decoder g of RU, reconstructing an input [C_in, H, W] from a layer feature [C, h, w]: a 3x3
/// stem to <see cref="DecoderOptions.Width"/> channels, residual blocks of which the first
/// ⌈log2(max(H/h, W/w))⌉ double the map (<see cref="UpsamplingResidualBlock"/>), a 3x3 head to C_in
/// channels with no nonlinearity (inputs may be negative), and, when the doubled map overshoots
/// (e.g. 7 → 28 needs 2 doublings, 3 → 28 needs 4 and gives 48), a bilinear resize to H x W.
/// The paper's decoder scaled by <see cref="DecoderOptions"/>. Weights are seeded.
/// </summary>
public sealed class ReconstructionDecoder : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d stem, head;
    private readonly ModuleList<UpsamplingResidualBlock> blocks;

    // The features' RMS (a buffer: saved and loaded with the weights). Features are divided by it, so the
    // decoder sees the same numbers whatever the layer's scale: rescaling a layer (the coherency check)
    // leaves RU unchanged, not just the network.
    private readonly Tensor featureScale = torch.tensor(1f);

    /// <exception cref="ArgumentException">Bad shapes or options, all listed.</exception>
    public ReconstructionDecoder(long[] featureShape, long[] outputShape, DecoderOptions options) : base(nameof(ReconstructionDecoder))
    {
        var problems = Problems(featureShape, outputShape, options);
        if (problems.Count > 0) throw new ArgumentException("RU decoder: " + string.Join("; ", problems));
        FeatureShape = featureShape.ToArray();
        OutputShape = outputShape.ToArray();
        var doublings = Doublings(featureShape, outputShape);
        stem = nn.Conv2d(featureShape[0], options.Width, kernel_size: 3, padding: 1);
        blocks = nn.ModuleList(Enumerable.Range(0, options.Blocks).Select(i => new UpsamplingResidualBlock(options.Width, i < doublings)).ToArray());
        head = nn.Conv2d(options.Width, outputShape[0], kernel_size: 3, padding: 1);
        RegisterComponents();

        using var generator = new Generator((ulong)options.Seed);
        WeightInit.Apply(WeightInit.TorchDefault, stem.weight!, stem.bias, generator);
        foreach (var block in blocks) block.Initialize(generator);
        WeightInit.Apply(WeightInit.TorchDefault, head.weight!, head.bias, generator);
    }

    /// <summary>The scale features are divided by before the stem (1 until <see cref="ScaleTo"/>).</summary>
    public double FeatureScale => featureScale.item<float>();

    /// <summary>Sets the feature scale to the RMS of <paramref name="features"/> (left at 1 when they are all zero).</summary>
    public void ScaleTo(float[] features)
    {
        var square = features.Sum(v => (double)v * v);
        var rms = (float)Math.Sqrt(square / Math.Max(1, features.Length));
        using var noGrad = torch.no_grad();
        if (rms > 0 && float.IsFinite(rms)) featureScale.fill_(rms);
    }

    /// <summary>The feature's shape per sample, [C, h, w].</summary>
    public long[] FeatureShape { get; }

    /// <summary>The reconstructed input's shape per sample, [C_in, H, W].</summary>
    public long[] OutputShape { get; }

    /// <summary>Everything wrong with these shapes and options, each with its fix.</summary>
    public static List<string> Problems(long[] featureShape, long[] outputShape, DecoderOptions options)
    {
        var problems = options.Validate().ToList();
        if (featureShape.Length != 3 || featureShape.Any(d => d < 1))
            problems.Add($"the feature shape [{string.Join(", ", featureShape)}] must be [C, h, w] with positive sizes (reshape a flat feature of D values to [D, 1, 1])");
        if (outputShape.Length != 3 || outputShape.Any(d => d < 1))
            problems.Add($"the input shape [{string.Join(", ", outputShape)}] must be [C, H, W] with positive sizes");
        var shapesValid = featureShape.Length == 3 && outputShape.Length == 3 && featureShape.All(d => d >= 1) && outputShape.All(d => d >= 1);
        if (shapesValid && options.Blocks >= 1 && Doublings(featureShape, outputShape) > options.Blocks)
            problems.Add($"the feature map {featureShape[1]}x{featureShape[2]} needs {Doublings(featureShape, outputShape)} doublings to reach {outputShape[1]}x{outputShape[2]}, " +
                         $"more than the {options.Blocks} blocks: raise blocks");
        return problems;
    }

    private static int Doublings(long[] featureShape, long[] outputShape)
    {
        var factor = Math.Max((double)outputShape[1] / featureShape[1], (double)outputShape[2] / featureShape[2]);
        return factor <= 1 ? 0 : (int)Math.Ceiling(Math.Log2(factor) - 1e-9);
    }

    /// <summary>Features [B, C, h, w] to reconstructions [B, C_in, H, W].</summary>
    public override Tensor forward(Tensor feature)
    {
        using var scope = torch.NewDisposeScope();
        var x = stem.forward(feature / featureScale);
        foreach (var block in blocks) x = block.forward(x);
        x = head.forward(x);
        if (x.shape[2] != OutputShape[1] || x.shape[3] != OutputShape[2])
            x = nn.functional.interpolate(x, size: [OutputShape[1], OutputShape[2]], mode: InterpolationMode.Bilinear, align_corners: false);
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>The weights in TorchSharp's module format, to rebuild the trained decoder elsewhere (<see cref="FromBytes"/>).</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) save(writer);
        return stream.ToArray();
    }

    /// <summary>A decoder of these shapes and options with the weights <see cref="ToBytes"/> wrote, in eval mode.</summary>
    /// <exception cref="ArgumentException">Bad shapes or options; or weights written for other shapes or options.</exception>
    public static ReconstructionDecoder FromBytes(long[] featureShape, long[] outputShape, DecoderOptions options, byte[] weights)
    {
        var decoder = new ReconstructionDecoder(featureShape, outputShape, options);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(weights));
            decoder.load(reader);
        }
        catch (Exception e)
        {
            decoder.Dispose();
            throw new ArgumentException($"RU decoder: the weights do not fit a decoder of feature [{string.Join(", ", featureShape)}], " +
                                        $"input [{string.Join(", ", outputShape)}], {options.Blocks} blocks of width {options.Width} ({e.Message})", e);
        }
        decoder.eval();
        return decoder;
    }

    /// <summary>
    /// A per-sample shape as the decoder's [C, h, w]: a map as it is, [h, w] as one channel, a flat
    /// vector of D values as [D, 1, 1] (fully connected layers, flat inputs).
    /// </summary>
    public static long[] AsMap(long[] shape) => shape.Length switch
    {
        3 => [.. shape],
        2 => [1, shape[0], shape[1]],
        _ => [shape.Aggregate(1L, (a, b) => a * b), 1, 1],
    };

    /// <summary>
    /// g for a network whose layer feature has shape <paramref name="featureShape"/> and whose input has
    /// <paramref name="inputShape"/> (per sample): reshaped to and from the decoder's maps, in eval mode.
    /// </summary>
    public Func<Tensor, Tensor> AsFunction(long[] featureShape, long[] inputShape)
    {
        if (!AsMap(featureShape).SequenceEqual(FeatureShape) || !AsMap(inputShape).SequenceEqual(OutputShape))
            throw new ArgumentException($"RU decoder: built for feature [{string.Join(", ", FeatureShape)}] and input [{string.Join(", ", OutputShape)}], " +
                                        $"asked for [{string.Join(", ", featureShape)}] and [{string.Join(", ", inputShape)}]");
        eval();
        return feature => forward(feature.reshape([feature.shape[0], .. FeatureShape])).reshape([feature.shape[0], .. inputShape]);
    }

    /// <summary>g for <see cref="ReconstructionUncertainty"/>: eval mode, the trained decoder as a function of a feature batch.</summary>
    public Func<Tensor, Tensor> AsFunction()
    {
        eval();
        return forward;
    }
}
