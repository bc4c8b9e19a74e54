namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// The parameters of the zoo's fully connected network ("mlp"), parsed and range-checked.
/// Defaults are the probe paper's Fig. 3 model: 32 layers of 128 units, LeakyReLU(0.5),
/// Glorot-normal init.
/// </summary>
public sealed record MlpConfig(
    int Depth,
    int Width,
    string Activation,
    double NegativeSlope,
    string Init,
    int AuxHeadEvery,
    double AuxLossWeight,
    int? SkipFrom,
    int? SkipTo)
{
    public const string Architecture = "mlp";
    public const int MaxDepth = 4096;
    public const int MaxWidth = 65536;

    /// <summary>
    /// Hidden layers that carry an auxiliary classifier: k, 2k, ... below the last hidden layer
    /// (the last one already feeds the model's own classifier; paper Fig. 7: every 16 of 128).
    /// </summary>
    public IReadOnlyList<int> AuxHeadLayers =>
        AuxHeadEvery <= 0 ? [] : Enumerable.Range(1, (Depth - 1) / AuxHeadEvery).Select(i => i * AuxHeadEvery).ToArray();

    /// <summary>"input" (layer 0), "layer1".."layerN" (post-activation), "logits".</summary>
    public IReadOnlyList<string> TapNames =>
        ["input", .. Enumerable.Range(1, Depth).Select(LayerTap), "logits"];

    public static string LayerTap(int layer) => $"layer{layer}";

    /// <summary>
    /// Each tap's per-sample shape, from the configuration alone: the flattened input, then
    /// <see cref="Width"/> units per hidden layer, then one logit per class.
    /// </summary>
    public IReadOnlyDictionary<string, long[]> TapShapes(long[] sampleShape, int classCount)
    {
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal) { ["input"] = [sampleShape.Aggregate(1L, (a, b) => a * b)] };
        for (var layer = 1; layer <= Depth; layer++)
            shapes[LayerTap(layer)] = [Width];
        shapes["logits"] = [classCount];
        return shapes;
    }

    /// <summary>Width of hidden layer <paramref name="layer"/>'s input, skip connection included.</summary>
    public long InputWidthOf(int layer, long inputSize)
    {
        long Output(int k) => k == 0 ? inputSize : Width;
        var width = Output(layer - 1);
        if (SkipTo == layer && SkipFrom is int from)
            width += Output(from);
        return width;
    }

    internal static MlpConfig Read(ModelParameterReader reader)
    {
        var depth = reader.Int("depth", 32, 1, MaxDepth);
        var width = reader.Int("width", 128, 1, MaxWidth);
        var activation = reader.Choice("activation", Zoo.Activation.LeakyRelu, Zoo.Activation.Names);
        var negativeSlope = reader.Double("negativeSlope", 0.5, 0, 1);
        var init = reader.Choice("init", WeightInit.GlorotNormal, [WeightInit.GlorotNormal, WeightInit.GlorotUniform, WeightInit.HeNormal, WeightInit.TorchDefault]);
        var auxHeadEvery = reader.Int("auxHeadEvery", 0, 0, MaxDepth);
        var auxLossWeight = reader.Double("auxLossWeight", 1.0, 0, 1e6);
        var skipFrom = reader.OptionalInt("skipFrom", 0, MaxDepth);
        var skipTo = reader.OptionalInt("skipTo", 0, MaxDepth);

        if (reader.IsGiven("negativeSlope") && activation != Zoo.Activation.LeakyRelu)
            reader.Problem($"parameter 'negativeSlope' applies only to activation={Zoo.Activation.LeakyRelu}, not {activation}; remove it or change the activation.");
        if (auxHeadEvery > 0 && auxHeadEvery >= depth)
            reader.Problem($"parameter 'auxHeadEvery' = {auxHeadEvery} gives no auxiliary head with depth {depth}; allowed: 0 (none) or an integer in [1, {depth - 1}].");
        if (reader.IsGiven("auxLossWeight") && auxHeadEvery == 0)
            reader.Problem("parameter 'auxLossWeight' needs auxHeadEvery > 0; set auxHeadEvery or remove auxLossWeight.");
        if (reader.IsGiven("skipFrom") != reader.IsGiven("skipTo"))
            reader.Problem("parameters 'skipFrom' and 'skipTo' go together (e.g. skipFrom=0 skipTo=64); give both or neither.");
        else if (skipFrom is int from && skipTo is int to)
        {
            if (to > depth)
                reader.Problem($"parameter 'skipTo' = {to} is past the last hidden layer; allowed: an integer in [2, {depth}].");
            if (to < from + 2)
                reader.Problem($"parameters skipFrom={from} skipTo={to}: a skip connection must jump over at least one layer; allowed: skipTo in [skipFrom + 2, depth].");
        }
        return new MlpConfig(depth, width, activation, negativeSlope, init, auxHeadEvery, auxLossWeight, skipFrom, skipTo);
    }
}
