using TorchSharp;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>"mlp": the deep fully connected classifier (<see cref="MlpModel"/>); takes samples of any shape, flattened.</summary>
public sealed class MlpArchitecture : Architecture<MlpConfig>
{
    public override string Name => MlpConfig.Architecture;

    public override MlpConfig Read(ModelParameterReader reader) => MlpConfig.Read(reader);

    public override IEnumerable<string> DataProblems(MlpConfig config, long[] sampleShape, long[]? targetShape)
    {
        if (sampleShape.Length == 0 || sampleShape.Any(d => d <= 0))
            yield return $"{Name}: sample shape [{string.Join(", ", sampleShape)}] must have at least one dimension, all positive.";
    }

    public override IReadOnlyList<string> TapNames(MlpConfig config) => config.TapNames;

    public override IReadOnlyDictionary<string, long[]> TapShapes(MlpConfig config, long[] sampleShape, int classCount, long[]? targetShape) =>
        config.TapShapes(sampleShape, classCount);

    public override TappedModel Build(MlpConfig config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator) =>
        new MlpModel(config, sampleShape, classCount, generator);
}
