using ProbeGrid.Analysis.Data;
using TorchSharp;

namespace ProbeGrid.Analysis.Zoo;

/// <summary>
/// "disentangler-net": the feature-complexity paper's target DNN (<see cref="DisentanglerTargetNet"/>), a regressor:
/// it needs regression data, and its output has the target's shape (the class count is ignored).
/// </summary>
public sealed class DisentanglerNetArchitecture : Architecture<DisentanglerNetConfig>
{
    public override string Name => DisentanglerNetConfig.Architecture;

    public override TargetKind? OutputKind => TargetKind.Regression;

    public override DisentanglerNetConfig Read(ModelParameterReader reader) => DisentanglerNetConfig.Read(reader);

    public override IEnumerable<string> DataProblems(DisentanglerNetConfig config, long[] sampleShape, long[]? targetShape) =>
        config.ShapeProblems(sampleShape, targetShape);

    public override IReadOnlyList<string> TapNames(DisentanglerNetConfig config) => config.TapNames;

    public override IReadOnlyDictionary<string, long[]> TapShapes(DisentanglerNetConfig config, long[] sampleShape, int classCount, long[]? targetShape) =>
        config.TapShapes(sampleShape, targetShape!);

    public override TappedModel Build(DisentanglerNetConfig config, long[] sampleShape, int classCount, long[]? targetShape, torch.Generator generator) =>
        new DisentanglerTargetNet(config, sampleShape, targetShape!, generator);
}
