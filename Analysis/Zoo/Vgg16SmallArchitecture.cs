using TorchSharp;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>"vgg16-small": VGG-16's layout at a chosen width (<see cref="Vgg16Small"/>); any image size.</summary>
public sealed class Vgg16SmallArchitecture : Architecture<Vgg16SmallConfig>
{
    public override string Name => Vgg16SmallConfig.Architecture;

    public override Vgg16SmallConfig Read(ModelParameterReader reader) => Vgg16SmallConfig.Read(reader);

    public override IEnumerable<string> DataProblems(Vgg16SmallConfig config, long[] sampleShape, long[]? targetShape) =>
        ImageSample.Problems(Name, sampleShape);

    public override IReadOnlyList<string> TapNames(Vgg16SmallConfig config) => Vgg16SmallConfig.Taps;

    public override IReadOnlyDictionary<string, long[]> TapShapes(Vgg16SmallConfig config, long[] sampleShape, int classCount, long[]? targetShape) =>
        config.TapShapes(sampleShape, classCount);

    public override TappedModel Build(Vgg16SmallConfig config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator) =>
        new Vgg16Small(config, sampleShape, classCount, generator);
}
