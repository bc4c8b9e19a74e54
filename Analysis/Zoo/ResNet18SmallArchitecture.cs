using TorchSharp;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>"resnet18-small": ResNet-18's layout at a chosen width (<see cref="ResNet18Small"/>); any image size.</summary>
public sealed class ResNet18SmallArchitecture : Architecture<ResNet18SmallConfig>
{
    public override string Name => ResNet18SmallConfig.Architecture;

    public override ResNet18SmallConfig Read(ModelParameterReader reader) => ResNet18SmallConfig.Read(reader);

    public override IEnumerable<string> DataProblems(ResNet18SmallConfig config, long[] sampleShape, long[]? targetShape) =>
        ImageSample.Problems(Name, sampleShape);

    public override IReadOnlyList<string> TapNames(ResNet18SmallConfig config) => ResNet18SmallConfig.Taps;

    public override IReadOnlyDictionary<string, long[]> TapShapes(ResNet18SmallConfig config, long[] sampleShape, int classCount, long[]? targetShape) =>
        config.TapShapes(sampleShape, classCount);

    public override TappedModel Build(ResNet18SmallConfig config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator) =>
        new ResNet18Small(config, sampleShape, classCount, generator);
}
