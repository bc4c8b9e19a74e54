using TorchSharp;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>"resnet-cifar": the CIFAR ResNets of depth 6n + 2, optionally with a damaging block (<see cref="ResNetCifar"/>); any image size.</summary>
public sealed class ResNetCifarArchitecture : Architecture<ResNetCifarConfig>
{
    public override string Name => ResNetCifarConfig.Architecture;

    public override ResNetCifarConfig Read(ModelParameterReader reader) => ResNetCifarConfig.Read(reader);

    public override IEnumerable<string> DataProblems(ResNetCifarConfig config, long[] sampleShape, long[]? targetShape) =>
        ImageSample.Problems(Name, sampleShape);

    public override IReadOnlyList<string> TapNames(ResNetCifarConfig config) => config.TapNames;

    public override IReadOnlyDictionary<string, long[]> TapShapes(ResNetCifarConfig config, long[] sampleShape, int classCount, long[]? targetShape) =>
        config.TapShapes(sampleShape, classCount);

    public override TappedModel Build(ResNetCifarConfig config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator) =>
        new ResNetCifar(config, sampleShape, classCount, generator);
}
