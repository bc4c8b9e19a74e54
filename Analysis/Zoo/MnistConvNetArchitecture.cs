using TorchSharp;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>"mnist-convnet": the TensorFlow MNIST tutorial's convnet (<see cref="MnistConvNet"/>); images with sides divisible by 4.</summary>
public sealed class MnistConvNetArchitecture : Architecture<MnistConvNetConfig>
{
    public override string Name => MnistConvNetConfig.Architecture;

    public override MnistConvNetConfig Read(ModelParameterReader reader) => MnistConvNetConfig.Read(reader);

    public override IEnumerable<string> DataProblems(MnistConvNetConfig config, long[] sampleShape, long[]? targetShape) =>
        MnistConvNetConfig.SampleShapeProblems(sampleShape);

    public override IReadOnlyList<string> TapNames(MnistConvNetConfig config) => MnistConvNetConfig.Taps;

    public override IReadOnlyDictionary<string, long[]> TapShapes(MnistConvNetConfig config, long[] sampleShape, int classCount, long[]? targetShape) =>
        config.TapShapes(sampleShape, classCount);

    public override TappedModel Build(MnistConvNetConfig config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator) =>
        new MnistConvNet(config, sampleShape, classCount, generator);
}
